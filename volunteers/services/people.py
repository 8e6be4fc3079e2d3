"""Writes for who serves: volunteer profiles, party members reporting home, service teams."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError
from residents.models import Resident

from ..models import PartyMemberReport, ServiceTeam, TeamMembership, VolunteerProfile


def _invalid(field, message):
    return ApplicationError(message, code="invalid", fields={field: message})


def _require(actor, perm, obj):
    if actor is None or not actor.has_perm(perm, obj):
        raise ApplicationError(_("您无权进行此操作。"), code="forbidden")


def _text(value, field, *, max_length, required=True):
    value = (value or "").strip()
    if required and not value:
        raise _invalid(field, _("此项不能为空。"))
    if len(value) > max_length:
        raise _invalid(field, _("最多 %(n)s 个字。") % {"n": max_length})
    return value


def _home_community_id(user):
    """The community of the user's verified resident record, or None."""
    if user is None or not user.is_verified:
        return None
    return Resident.objects.filter(account=user).values_list("community_id", flat=True).first()


@transaction.atomic
def volunteer_register(
    *, actor, user=None, skills="", availability="", community=None
) -> VolunteerProfile:
    """Register `user` (default: the actor) as a volunteer of their verified community.

    A resident registers themself; community staff may register a verified resident they
    serve. A profile that exists is reactivated rather than duplicated."""
    user = user or actor
    community_id = _home_community_id(user)
    if community_id is None:
        message = _("只有已实名认证的居民才能登记为志愿者。")
        if user.pk == actor.pk:
            raise ApplicationError(message, code="forbidden")
        raise _invalid("user", message)
    if community is not None and community.pk != community_id:
        raise _invalid("community", _("志愿者只能在本人所住的居民区登记。"))
    from grids.models import Community

    community = Community.objects.get(pk=community_id)
    if user.pk == actor.pk:
        _require(actor, "volunteers.register_volunteer", community)
    else:
        _require(actor, "volunteers.add_volunteerprofile", community)
    skills = _text(skills, "skills", max_length=200, required=False)
    availability = _text(availability, "availability", max_length=200, required=False)
    profile = VolunteerProfile.objects.select_for_update().filter(user=user).first()
    if profile is not None:
        if profile.is_active and profile.community_id == community_id:
            raise ApplicationError(_("已经登记为志愿者。"), code="conflict")
        profile.community_id = community_id
        profile.is_active = True
        profile.skills = skills or profile.skills
        profile.availability = availability or profile.availability
        profile.save()
        return profile
    try:
        with transaction.atomic():
            return VolunteerProfile.objects.create(
                user=user, community_id=community_id, skills=skills, availability=availability
            )
    except IntegrityError:
        # Two simultaneous registrations: the one-to-one on user lets only one through.
        raise ApplicationError(_("已经登记为志愿者。"), code="conflict") from None


@transaction.atomic
def volunteer_update(
    *, actor, profile, skills=None, availability=None, is_active=None
) -> VolunteerProfile:
    """Change a profile's skills and availability (the volunteer or staff); staff may also
    take a volunteer off the register (is_active)."""
    profile = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
    _require(actor, "volunteers.change_volunteerprofile", profile)
    if skills is not None:
        profile.skills = _text(skills, "skills", max_length=200, required=False)
    if availability is not None:
        profile.availability = _text(availability, "availability", max_length=200, required=False)
    if is_active is not None:
        if profile.user_id == actor.pk and not actor.has_perm(
            "volunteers.add_volunteerprofile", profile
        ):
            raise _invalid("is_active", _("在册状态由工作人员调整。"))
        profile.is_active = bool(is_active)
    profile.save()
    return profile


@transaction.atomic
def party_member_report(
    *, actor, profile, employer_party_org, reported_on=None
) -> PartyMemberReport:
    """在职党员报到: a volunteer records that they report to their home community, naming
    their employer's party organisation. One report per volunteer; a second one updates it."""
    profile = VolunteerProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.user_id == actor.pk:
        _require(actor, "volunteers.report_party_member", profile)
    else:
        _require(actor, "volunteers.add_partymemberreport", profile)
    if not profile.is_active:
        raise ApplicationError(_("该志愿者不在册。"), code="conflict")
    employer_party_org = _text(employer_party_org, "employer_party_org", max_length=100)
    today = timezone.localdate()
    reported_on = reported_on or today
    if reported_on > today:
        raise _invalid("reported_on", _("报到日期不能晚于今天。"))
    report, _created = PartyMemberReport.objects.update_or_create(
        profile=profile,
        defaults={
            "community_id": profile.community_id,
            "employer_party_org": employer_party_org,
            "reported_on": reported_on,
        },
    )
    return report


# ---------------------------------------------------------------------------------------------
# Teams


def _leader_in(team_community_id, leader):
    if leader is None:
        return None
    if leader.community_id != team_community_id or not leader.is_active:
        raise _invalid("leader", _("队长须是本居民区在册的志愿者。"))
    return leader


@transaction.atomic
def team_create(*, actor, community, name, description="", leader=None) -> ServiceTeam:
    _require(actor, "volunteers.add_serviceteam", community)
    name = _text(name, "name", max_length=64)
    description = _text(description, "description", max_length=2000, required=False)
    _leader_in(community.pk, leader)
    if ServiceTeam.objects.filter(community=community, name=name).exists():
        raise _invalid("name", _("本居民区已有同名服务队。"))
    team = ServiceTeam.objects.create(
        community=community, name=name, description=description, leader=leader
    )
    if leader is not None:
        _join(team, leader)
    return team


@transaction.atomic
def team_update(
    *, actor, team, name=None, description=None, leader=..., is_active=None
) -> ServiceTeam:
    """Change a team; `leader=None` removes the leader, leaving it out keeps the current one."""
    team = ServiceTeam.objects.select_for_update().get(pk=team.pk)
    _require(actor, "volunteers.manage_serviceteam", team)
    if name is not None:
        name = _text(name, "name", max_length=64)
        if (
            ServiceTeam.objects.filter(community_id=team.community_id, name=name)
            .exclude(pk=team.pk)
            .exists()
        ):
            raise _invalid("name", _("本居民区已有同名服务队。"))
        team.name = name
    if description is not None:
        team.description = _text(description, "description", max_length=2000, required=False)
    if leader is not ...:
        team.leader = _leader_in(team.community_id, leader)
        if leader is not None:
            _join(team, leader)
    if is_active is not None:
        team.is_active = bool(is_active)
    team.save()
    return team


def _join(team, profile):
    membership = TeamMembership.objects.filter(
        team=team, profile=profile, left_on__isnull=True
    ).first()
    if membership is None:
        membership = TeamMembership.objects.create(
            team=team, profile=profile, joined_on=timezone.localdate()
        )
    return membership


@transaction.atomic
def team_join(*, actor, team, profile=None) -> TeamMembership:
    """A volunteer joins a team of their community (or staff add one)."""
    team = ServiceTeam.objects.select_for_update().get(pk=team.pk)
    if profile is None:
        profile = VolunteerProfile.objects.filter(user=actor, is_active=True).first()
        if profile is None:
            raise _invalid("profile", _("请先登记为志愿者。"))
        _require(actor, "volunteers.join_serviceteam", team)
    else:
        _require(actor, "volunteers.manage_serviceteam", team)
    if not team.is_active:
        raise ApplicationError(_("该服务队已停止活动。"), code="conflict")
    if profile.community_id != team.community_id or not profile.is_active:
        raise _invalid("profile", _("只能加入本居民区的服务队。"))
    if TeamMembership.objects.filter(team=team, profile=profile, left_on__isnull=True).exists():
        raise ApplicationError(_("已经是该服务队成员。"), code="conflict")
    return _join(team, profile)


@transaction.atomic
def team_leave(*, actor, team, profile=None) -> TeamMembership:
    """A member leaves (or staff remove one); the leader who leaves stops being the leader."""
    team = ServiceTeam.objects.select_for_update().get(pk=team.pk)
    if profile is None:
        profile = VolunteerProfile.objects.filter(user=actor).first()
        if profile is None:
            raise _invalid("profile", _("您不是志愿者。"))
    elif not actor.has_perm("volunteers.manage_serviceteam", team):
        raise ApplicationError(_("您无权进行此操作。"), code="forbidden")
    membership = (
        TeamMembership.objects.select_for_update()
        .filter(team=team, profile=profile, left_on__isnull=True)
        .first()
    )
    if membership is None:
        raise ApplicationError(_("不是该服务队的成员。"), code="conflict")
    membership.left_on = timezone.localdate()
    membership.save(update_fields=["left_on", "updated_at"])
    if team.leader_id == profile.pk:
        team.leader = None
        team.save(update_fields=["leader", "updated_at"])
    return membership
