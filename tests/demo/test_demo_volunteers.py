"""The demo's volunteer service: built through the services, with a past that really is past,
a ledger that adds up for every account, a demo resident who can redeem, removed by --reset."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from core.demo import data
from core.demo.builder import VERIFIED_RESIDENT_PHONE
from core.demo.reset import delete_demo
from core.demo.volunteers import plan
from grids.models import Community, Street
from notifications.models import Notification
from volunteers.models import (
    Activity,
    Attendance,
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
from volunteers.services.activities import compute_hours

VOLUNTEER_MODELS = (
    PointsPolicy,
    PointsRule,
    VolunteerProfile,
    PartyMemberReport,
    ServiceTeam,
    TeamMembership,
    Activity,
    SignUp,
    Attendance,
    PointsAccount,
    PointsEntry,
    Reward,
    Redemption,
)


def base_communities():
    names = [spec[0] for spec in data.BASE_COMMUNITIES]
    return list(Community.objects.filter(name__in=names).order_by("pk"))


def me():
    return User.objects.get(username=VERIFIED_RESIDENT_PHONE)


def test_every_part_is_there(demo):
    assert "志愿者 / volunteers" in demo and f"{VERIFIED_RESIDENT_PHONE}: 积分" in demo
    communities = base_communities()
    for street in Street.objects.all():
        policy = PointsPolicy.objects.get(street=street)
        assert policy.published_at is not None and policy.text
        assert street.points_rules.filter(is_default=True, is_active=True).count() == 3
    for community in communities:
        teams = ServiceTeam.objects.filter(community=community)
        assert 2 <= teams.count() <= 3
        assert all(t.leader_id and t.memberships.exists() for t in teams)
        assert VolunteerProfile.objects.filter(community=community).count() >= 3
        assert Reward.objects.filter(community=community).count() == len(plan.REWARDS)
        activities = Activity.objects.filter(community=community)
        assert activities.filter(status="finished").count() >= 3
        assert activities.filter(status="published", starts_at__gt=timezone.now()).exists()
    assert PartyMemberReport.objects.count() >= 2
    assert not PartyMemberReport.objects.filter(employer_party_org="").exists()
    assert Activity.objects.filter(kind="post").exists()  # public-welfare posts
    assert Activity.objects.filter(status="draft").exists()
    cancelled = Activity.objects.get(status="cancelled")
    assert cancelled.cancelled_reason and not cancelled.signups.exclude(status="cancelled")
    assert Notification.objects.filter(kind="volunteers.activity_cancelled").count() == (
        cancelled.signups.count()
    )
    # One upcoming activity is full, with a waiting list that already moved up once.
    full = Activity.objects.annotate(
        confirmed=Count("signups", filter=Q(signups__status="confirmed")),
        waiting=Count("signups", filter=Q(signups__status="waitlisted")),
    ).filter(status="published", waiting__gt=0)
    assert full and all(a.confirmed == a.capacity for a in full)
    assert Notification.objects.filter(kind="volunteers.signup_promoted").exists()
    # Attendance in every state a worker meets; refusals carry their reason.
    states = set(Attendance.objects.values_list("status", flat=True))
    assert {"approved", "rejected", "checked_out"} <= states
    assert not Attendance.objects.filter(status="rejected", review_note="").exists()
    assert set(Attendance.objects.values_list("method", flat=True)) == {"worker", "code"}
    # Orders in every state; every cancellation refunded once.
    assert set(Redemption.objects.values_list("status", flat=True)) == set(Redemption.Status.values)
    for order in Redemption.objects.filter(status="cancelled"):
        assert order.cancelled_reason
        assert order.points_entries.filter(kind="refund", points=order.points).count() == 1
    adjustments = PointsEntry.objects.filter(kind="adjust")
    assert adjustments.filter(points__gt=0).exists() and adjustments.filter(points__lt=0).exists()
    assert all(e.reason and e.actor_id for e in adjustments)


def test_the_ledger_adds_up_for_every_account(demo):
    accounts = list(PointsAccount.objects.prefetch_related("entries"))
    assert accounts
    for account in accounts:
        entries = sorted(account.entries.all(), key=lambda e: e.pk)
        running = 0
        for entry in entries:
            running += entry.points
            assert entry.balance_after == running
        assert account.balance == running == sum(e.points for e in entries) >= 0
        # Written in time order: the history reads the same by time as by id.
        assert [e.created_at for e in entries] == sorted(e.created_at for e in entries)
    # One earn per approved attendance with points, none for refused or pending hours.
    earned = PointsEntry.objects.filter(kind="earn")
    assert earned.count() == earned.values("attendance").distinct().count()
    assert not earned.exclude(attendance__status="approved").exists()
    assert Attendance.objects.filter(status="approved").count() == earned.count()
    # Stock: what the catalogue started with, less what was ordered and not given back.
    start = {name: stock for _k, name, _c, stock, _p, _t in plan.REWARDS}
    for reward in Reward.objects.annotate(
        taken=Sum("redemptions__quantity", filter=~Q(redemptions__status="cancelled"))
    ):
        assert reward.stock == start[reward.name] - (reward.taken or 0)


def test_the_past_is_past(demo):
    now = timezone.now()
    for model in VOLUNTEER_MODELS:
        assert not model.objects.filter(created_at__gt=now).exists(), model.__name__
    assert not PointsEntry.objects.filter(created_at__gt=now - datetime.timedelta(hours=1))
    for activity in Activity.objects.filter(status="finished"):
        assert activity.ends_at < now
        assert activity.published_at < activity.signup_deadline < activity.starts_at
        for signup in activity.signups.all():
            assert activity.published_at <= signup.created_at <= activity.signup_deadline
    for row in Attendance.objects.select_related("activity"):
        assert row.checked_in_at <= row.checked_out_at < now
        assert row.hours == compute_hours(row.activity, row.checked_in_at, row.checked_out_at)
        assert row.hours > 0
        if row.reviewed_at is not None:
            assert row.checked_out_at < row.reviewed_at < now
    for entry in PointsEntry.objects.filter(kind="earn").select_related("attendance"):
        assert entry.created_at == entry.attendance.reviewed_at
    upcoming = Activity.objects.filter(status="published")
    assert upcoming and all(a.signup_deadline > now for a in upcoming)


def test_the_demo_resident_has_hours_points_and_can_redeem(demo):
    api = APIClient()
    api.force_authenticate(me())
    mine = api.get("/api/v1/volunteers/me/").json()
    assert Decimal(mine["total_hours"]) > 0
    assert mine["profile"]["community"]["name"] == "望春里居民区"
    points = api.get("/api/v1/points/me/").json()
    (account,) = points["accounts"]
    balance = account["balance"]
    assert balance > 0 and points["recent_entries"]
    kinds = {e["kind"] for e in api.get("/api/v1/points/me/ledger/").json()["results"]}
    assert {"earn", "redeem"} <= kinds
    rewards = api.get("/api/v1/rewards/").json()["results"]
    affordable = [r for r in rewards if r["points_cost"] <= balance and r["stock"] > 0]
    assert affordable, "13900000001 cannot afford anything"
    reward = min(affordable, key=lambda r: r["points_cost"])

    response = api.post(f"/api/v1/rewards/{reward['id']}/redeem/", {}, format="json")

    assert response.status_code == 201, response.json()
    after = api.get("/api/v1/points/me/").json()["accounts"][0]["balance"]
    assert after == balance - reward["points_cost"]
    assert Reward.objects.get(pk=reward["id"]).stock == reward["stock"] - 1
    # Their certificate states the hours the profile shows.
    certificate = api.get("/api/v1/volunteers/me/certificate/").json()
    assert certificate["total_hours"] == mine["total_hours"] and certificate["count"] > 0


def test_the_worker_sees_it_in_the_admin(client, demo):
    client.force_login(User.objects.get(username="worker"))
    for path in (
        "/admin/volunteers/activity/",
        "/admin/volunteers/attendance/?status__exact=checked_out",
        "/admin/volunteers/pointsentry/",
        "/admin/volunteers/redemption/",
    ):
        assert client.get(path).status_code == 200, path
    profile = VolunteerProfile.objects.get(user=me())
    page = client.get(f"/admin/volunteers/volunteerprofile/{profile.pk}/certificate/print/")
    assert page.status_code == 200
    hours = Attendance.objects.filter(user=me(), status="approved").aggregate(h=Sum("hours"))
    assert page.context["certificates"][0].total_hours == hours["h"]
    # Another community's worker does not see 望春里's volunteers.
    client.force_login(User.objects.get(username="worker2"))
    other = client.get(f"/admin/volunteers/volunteerprofile/{profile.pk}/certificate/print/")
    assert other.status_code == 404


def test_reset_removes_the_volunteer_data(demo):
    assert all(m.objects.exists() for m in VOLUNTEER_MODELS)
    delete_demo()
    assert {m.__name__: m.objects.count() for m in VOLUNTEER_MODELS} == {
        m.__name__: 0 for m in VOLUNTEER_MODELS
    }
    assert not Notification.objects.filter(kind__startswith="volunteers.").exists()
