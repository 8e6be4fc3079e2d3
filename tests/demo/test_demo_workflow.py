"""The demo's raise-hand workflow: every topic state and project stage, real timelines and
money, reminders that fire on the first sweep, idempotent and removed by --reset."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from accounts.models import User
from core.demo.reset import delete_demo
from grids.models import Community
from notifications.clocks import reminders_sweep
from notifications.models import Notification, Reminder
from projects.models import BudgetLine, Evaluation, Expense, FundPool, Project, ProjectEvent
from proposals.models import (
    Category,
    Comment,
    Deliberation,
    Hand,
    Topic,
    TopicEvent,
)

from .conftest import load_demo

# Enough residents that 望春里 gets its thirty verified accounts.
ARGS = ("--residents", "900")
WORKFLOW_MODELS = (
    Category,
    Topic,
    TopicEvent,
    Hand,
    Comment,
    Deliberation,
    Project,
    ProjectEvent,
    FundPool,
    BudgetLine,
    Expense,
    Evaluation,
)


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        out = load_demo(*ARGS)
    try:
        yield out
    finally:
        with django_db_blocker.unblock():
            delete_demo()


@pytest.fixture
def built(_built, db):
    return _built


def first_community():
    return Community.objects.get(name="望春里居民区")


def counts():
    return {m.__name__: m.objects.count() for m in (*WORKFLOW_MODELS, User, Notification)}


def test_every_state_and_stage_with_timelines(built):
    first = first_community()
    states = set(Topic.objects.values_list("state", flat=True))
    assert states == set(Topic.State.values)
    assert set(Project.objects.values_list("stage", flat=True)) == set(Project.Stage.values)
    assert set(Topic.objects.filter(community=first).values_list("state", flat=True)) == set(
        Topic.State.values
    )
    assert Topic.objects.filter(community=first).count() == 40
    per_community = Topic.objects.values("community").annotate(n=Count("pk"))
    assert sorted(r["n"] for r in per_community) == [10, 10, 10, 10, 10, 40]
    assert set(Topic.objects.values_list("source", flat=True)) == set(Topic.Source.values)
    # The summary tells the newcomer where the reminders arrive.
    assert "我的消息" in built and "议题 / topics (90)" in built

    now = timezone.now()
    for topic in Topic.objects.prefetch_related("events"):
        events = list(topic.events.all())
        assert events[0].verb == "raised" and events[0].at == topic.raised_at
        assert all(e.at <= now for e in events)
        # State changes were made in the order they happened: moved times never run backwards.
        by_pk = [e.at for e in sorted(events, key=lambda e: e.pk) if e.to_state]
        assert by_pk == sorted(by_pk), topic.title
        assert topic.first_response_due_at == topic.raised_at + datetime.timedelta(hours=4)
        if topic.first_responded_at is not None:
            assert topic.responded_on_time == (
                topic.first_responded_at <= topic.first_response_due_at
            )
        assert topic.hand_count == topic.hands.filter(withdrawn_at=None).count()
    assert Topic.objects.filter(responded_on_time=False).exists()
    assert Topic.objects.filter(state="solved", solution_confirmed=True).exists()
    assert Topic.objects.filter(state="solved", solution_confirmed=None).exists()
    reopened = Topic.objects.get(state="answered", solution_confirmed=False)
    assert reopened.events.filter(verb="reopened").exists()
    assert not Topic.objects.filter(state="declined", decline_reason="").exists()
    assert not Topic.objects.filter(state="merged", merged_into=None).exists()
    assert Topic.objects.filter(state="open_for_hands", hands_deadline__gt=now).count() == 10
    assert Topic.objects.filter(party_branch_hand_at__isnull=False, state="open_for_hands")
    assert Hand.objects.filter(withdrawn_at__isnull=False).exists()
    assert TopicEvent.objects.filter(verb="note", is_public=False).exists()
    rounds = Deliberation.objects.values("topic").annotate(n=Count("round", distinct=True))
    assert max(r["n"] for r in rounds) == 3

    hidden = Comment.objects.get(hidden=True)
    assert hidden.hidden_reason and hidden.hidden_by is not None
    assert hidden.reports.count() == 3
    assert Comment.objects.filter(project__isnull=False).exists()

    # Hands and evaluations come from real verified accounts of the topic's community.
    assert (
        User.objects.filter(resident__community=first, verification_status="verified").count() >= 30
    )
    for hand in Hand.objects.select_related("user__resident", "topic"):
        assert hand.user.is_verified
        assert hand.user.resident.community_id == hand.topic.community_id
    for evaluation in Evaluation.objects.select_related("user__resident", "project"):
        assert evaluation.user.resident.community_id == evaluation.project.community_id


def test_projects_by_stage(built):
    for project in Project.objects.all():
        assert project.topic.state == "adopted"
        assert project.events.filter(verb="adopted").exists()
    closed = Project.objects.filter(stage="closed")
    assert closed and all(p.satisfaction_score is not None for p in closed)
    for p in closed:
        avg = p.evaluations.aggregate(s=Sum("rating"))["s"] / p.evaluations.count()
        assert p.satisfaction_score == Decimal(str(avg)).quantize(Decimal("0.01"))
        assert p.review_closes_at < timezone.now()
    published = Project.objects.filter(stage="published")
    assert all(p.review_closes_at > timezone.now() for p in published)
    assert all(p.evaluations.exists() for p in published)
    assert not Project.objects.filter(stage="cancelled", cancelled_reason="").exists()
    in_progress = Project.objects.filter(stage="in_progress")
    assert all(p.expenses.exists() and p.updates.exists() for p in in_progress)
    assert all(p.members.count() >= 2 for p in in_progress)
    sources = set(BudgetLine.objects.values_list("source", flat=True))
    assert sources == set(BudgetLine.Source.values)


def test_money_never_exceeds_pool_or_line(built):
    assert FundPool.objects.count() == 6
    for pool in FundPool.objects.all():
        allocated = pool.allocations.aggregate(s=Sum("amount"))["s"] or 0
        assert 0 < allocated <= pool.amount
    for line in BudgetLine.objects.annotate(spent=Sum("expenses__amount")):
        assert (line.spent or 0) <= line.amount
        assert line.pool is None or line.pool.community_id == line.project.community_id


def test_first_sweep_sends_overdue_and_escalates_once(built):
    first = first_community()
    worker, street_admin = (
        User.objects.get(username="worker"),
        User.objects.get(username="street_admin"),
    )
    overdue = list(Topic.objects.overdue())
    assert len(overdue) == 2 and {t.community_id for t in overdue} == {first.pk}
    assert Topic.objects.filter(escalated_at__isnull=False).count() == 0

    result = reminders_sweep()

    # The two overdue topics are the topics' only reminders (no stale hands deadline or
    # window); the others are the later workflows' clocks (overdue grid events, owners'
    # committee terms ending), each once.
    topic_clocks = Reminder.objects.filter(clock__startswith="proposals.")
    assert topic_clocks.count() == 2
    others = Reminder.objects.exclude(clock__startswith="proposals.").count()
    assert result == {"scheduled": 2 + others, "sent": 2 + others}
    for user in (worker, street_admin):
        got = Notification.objects.filter(
            recipient=user, kind="proposals.topic.first_response.overdue"
        )
        assert {n.subject_id for n in got} == {t.pk for t in overdue}
    assert Topic.objects.filter(escalated_at__isnull=False).count() == 2
    assert TopicEvent.objects.filter(verb="overdue").count() == 2

    before = Notification.objects.count()
    assert reminders_sweep() == {"scheduled": 0, "sent": 0}
    assert Notification.objects.count() == before

    # The "due soon" one comes ten minutes after the build, to the worker of 望春里.
    later = timezone.now() + datetime.timedelta(minutes=11)
    sent_before = Reminder.objects.filter(sent_at__isnull=False).count()
    assert reminders_sweep(now=later) == {"scheduled": 1, "sent": 1}
    soon = Notification.objects.filter(kind="proposals.topic.first_response.due_soon")
    assert worker.pk in {n.recipient_id for n in soon}
    assert street_admin.pk not in {n.recipient_id for n in soon}
    assert Reminder.objects.filter(sent_at__isnull=False).count() == sent_before + 1
    assert topic_clocks.filter(sent_at__isnull=False).count() == 3


def test_second_run_adds_nothing(built):
    before = counts()
    out = load_demo(*ARGS)
    assert "未做改动" in out
    assert counts() == before


def test_reset_removes_the_workflow(built):
    reminders_sweep()
    assert Reminder.objects.exists()
    delete_demo()
    assert all(v == 0 for k, v in counts().items() if k != "Notification")
    assert not Notification.objects.exists()
    assert not Reminder.objects.exists()
