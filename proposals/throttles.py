"""Residents cannot flood: per-user rates on the cache, for posts by non-staff accounts."""

from rest_framework.throttling import UserRateThrottle

from accounts.scope import actor_scope


class _ResidentPostThrottle(UserRateThrottle):
    default_rate = "5/min"

    def get_rate(self):
        # The lead may set the rate in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]; until then the
        # default here applies.
        return self.THROTTLE_RATES.get(self.scope, self.default_rate)

    def allow_request(self, request, view):
        if request.method != "POST":
            return True
        user = request.user
        if user.is_authenticated and actor_scope(user).is_staff_scope:
            return True  # workers enter many topics after a visit round
        return super().allow_request(request, view)


class CommentThrottle(_ResidentPostThrottle):
    scope = "proposals_comment"
    default_rate = "5/min"


class TopicRaiseThrottle(_ResidentPostThrottle):
    scope = "proposals_topic"
    default_rate = "10/hour"
