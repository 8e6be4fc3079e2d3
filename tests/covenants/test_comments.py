"""Discussion comments: who may comment when, reports that hide, a worker's hide and restore."""

import pytest

from core.exceptions import ApplicationError
from covenants import services
from covenants.models import CovenantComment, CovenantEvent
from tests.factories.board import board_resident
from tests.factories.covenants import to_state

pytestmark = pytest.mark.django_db


def test_residents_comment_during_discussion(org, actors, place, covenant):
    to_state(covenant, actors.worker, "discussion")
    comment = services.covenant_comment(actor=place.carol, covenant=covenant, body="建议加上时段")
    assert comment.version == covenant.current_version
    assert comment.author_label.startswith("居民")


@pytest.mark.parametrize("state", ["draft", "signing"])
def test_no_comments_outside_discussion(org, actors, place, covenant, state):
    if state == "signing":
        to_state(covenant, actors.worker, "signing")
    with pytest.raises(ApplicationError) as err:
        services.covenant_comment(actor=place.alice, covenant=covenant, body="意见")
    assert err.value.code == "conflict"


@pytest.mark.parametrize("who", ["dave", "olga"])
def test_unverified_and_other_communities_may_not_comment(org, actors, place, covenant, who):
    to_state(covenant, actors.worker, "discussion")
    with pytest.raises(ApplicationError) as err:
        services.covenant_comment(actor=getattr(place, who), covenant=covenant, body="意见")
    assert err.value.code == "forbidden"
    assert not CovenantComment.objects.exists()


def test_empty_or_long_comment_is_refused(org, actors, place, covenant):
    to_state(covenant, actors.worker, "discussion")
    for body in ("  ", "字" * 2001):
        with pytest.raises(ApplicationError) as err:
            services.covenant_comment(actor=place.alice, covenant=covenant, body=body)
        assert "body" in err.value.fields
    assert not CovenantComment.objects.exists()


def test_three_reports_hide_until_a_worker_restores(org, actors, place, covenant):
    to_state(covenant, actors.worker, "discussion")
    comment = services.covenant_comment(actor=place.alice, covenant=covenant, body="广告")
    with pytest.raises(ApplicationError):
        services.covenant_comment_report(actor=place.alice, comment=comment)  # own
    reporters = [place.carol, place.erin, board_resident(org.community, real_name="吴先生")]
    for reporter in reporters:
        services.covenant_comment_report(actor=reporter, comment=comment, reason="广告")
    with pytest.raises(ApplicationError) as err:
        services.covenant_comment_report(actor=place.carol, comment=comment)
    assert err.value.code == "conflict"
    comment.refresh_from_db()
    assert comment.hidden and comment.auto_hidden
    services.covenant_comment_restore(actor=actors.worker, comment=comment)
    comment.refresh_from_db()
    assert not comment.hidden


def test_worker_hides_with_a_reason(org, actors, place, covenant):
    to_state(covenant, actors.worker, "discussion")
    comment = services.covenant_comment(actor=place.alice, covenant=covenant, body="骂人的话")
    with pytest.raises(ApplicationError) as err:
        services.covenant_comment_hide(actor=actors.worker, comment=comment, reason="")
    assert "reason" in err.value.fields
    for who in ("grid_leader", "other_worker"):
        with pytest.raises(ApplicationError) as err:
            services.covenant_comment_hide(
                actor=getattr(actors, who), comment=comment, reason="不文明"
            )
        assert err.value.code == "forbidden"
    services.covenant_comment_hide(actor=actors.worker, comment=comment, reason="不文明用语")
    comment.refresh_from_db()
    assert comment.hidden and comment.hidden_reason == "不文明用语"
    event = CovenantEvent.objects.get(verb="comment_hidden")
    assert not event.is_public
