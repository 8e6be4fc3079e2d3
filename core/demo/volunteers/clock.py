"""Moving what a service just wrote to the planned moment, for the volunteer tables."""

import datetime

from django.db import connection
from django.db.models import Case, Value, When

from notifications.models import Notification
from volunteers.models import (
    Activity,
    PartyMemberReport,
    PointsAccount,
    PointsEntry,
    PointsPolicy,
    PointsRule,
    Redemption,
    Reward,
    ServiceTeam,
    SignUp,
    TeamMembership,
    VolunteerProfile,
)


class Clock:
    """workflow.Timeline's idea with every stamp of a row: `step(when, call)` runs the call,
    then gives the rows it created in the watched tables (found by primary keys above the last
    seen ones: the build runs alone in its transaction) the moment in each of their stamps — a
    nullable stamp only where the service set it — and the named stamps to the subject."""

    WATCHED = [
        (PointsPolicy, ("created_at", "updated_at", "published_at")),
        (PointsRule, ("created_at", "updated_at")),
        (VolunteerProfile, ("created_at", "updated_at")),
        (PartyMemberReport, ("created_at", "updated_at")),
        (ServiceTeam, ("created_at", "updated_at")),
        (TeamMembership, ("created_at", "updated_at")),
        (Activity, ("created_at", "updated_at")),
        (SignUp, ("created_at", "updated_at", "confirmed_at", "waitlisted_at")),
        (PointsAccount, ("created_at", "updated_at")),
        (PointsEntry, ("created_at",)),
        (Reward, ("created_at", "updated_at")),
        (Redemption, ("created_at", "updated_at")),
        (Notification, ("created_at",)),
    ]

    def __init__(self, now):
        qn = connection.ops.quote_name
        # One statement reads every table's last primary key.
        self.sql = "SELECT " + ", ".join(
            f"(SELECT MAX({qn(m._meta.pk.column)}) FROM {qn(m._meta.db_table)})"
            for m, _f in self.WATCHED
        )
        # Stamps after this were written by the build (the services' "now").
        self.limit = now - datetime.timedelta(minutes=1)
        self.sync()

    def sync(self):
        """Take rows written outside `step` as seen (the caller moved them itself)."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql)
            self.marks = [v or 0 for v in cursor.fetchone()]

    def step(self, when, call, *, subject=None, stamps=()):
        """Run `call` and move what it wrote to `when`; `subject` (a row, or a list of rows of
        one model) gets `stamps` set to it too."""
        when = min(when, self.limit)  # never in the future
        result = call()
        before = self.marks
        self.sync()
        for (model, fields), mark, last in zip(self.WATCHED, before, self.marks, strict=True):
            if last > mark:
                # One UPDATE per table: a nullable stamp moves only where the service set it.
                model.objects.filter(pk__gt=mark, pk__lte=last).update(
                    **{f: self._moved(model, f, when) for f in fields}
                )
        subjects = subject if isinstance(subject, list | tuple) else [subject]
        subjects = [s for s in subjects if s is not None]
        if subjects and stamps:
            type(subjects[0]).objects.filter(pk__in=[s.pk for s in subjects]).update(
                **{s: when for s in stamps}
            )
        return result

    @staticmethod
    def _moved(model, field, when):
        if not model._meta.get_field(field).null:
            return when
        return Case(When(**{f"{field}__isnull": False}, then=Value(when)), default=None)
