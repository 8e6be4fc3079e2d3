"""What the residents' phone pages read from the API beyond the workflow itself: why one cannot
answer (`respond_block`, the same verdict as the answering service), who in the household
answered, when I acknowledged a notice; and the shared workflow fields (BoardItem) that must
leave the migrated schema exactly as it was."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from board import services
from board.models import Consultation, Notice, NoticeAck, Response
from board.models.common import BoardItem
from tests.factories.board import ConsultationFactory, NoticeFactory, add_questions, board_resident

from .conftest import answers

pytestmark = pytest.mark.django_db


def url(c, suffix=""):
    return f"/api/v1/consultations/{c.pk}/{suffix}"


def published(org, actors, **fields):
    c = ConsultationFactory(community=org.community, **fields)
    c.single, c.multiple, c.text = add_questions(c)
    services.consultation_publish(actor=actors.worker, consultation=c)
    c.refresh_from_db()
    return c


def block(api, c):
    return api.get(url(c)).json()["respond_block"]


def respond(api, c):
    return api.post(url(c, "respond/"), {"answers": answers(c)}, format="json")


# -- respond_block: the page's reason, the service's verdict ----------------------------------


def test_an_eligible_resident_has_no_block_and_may_answer(api, org, actors, place):
    c = published(org, actors)
    api.force_authenticate(place.alice)
    detail = api.get(url(c)).json()
    assert detail["respond_block"] is None and "respond" in detail["actions"]
    assert respond(api, c).status_code == 201
    assert block(api, c) is None  # answered: the sheet is shown instead


@pytest.mark.parametrize(
    ("who", "fields", "code", "words"),
    [
        ("dave", {}, "unverified", "实名核验通过后"),
        ("carol", {"audience": "compound", "compound": "compound_a"}, "other_unit", "望春里一期"),
        ("alice", {"audience": "building", "building": "b1"}, "other_unit", "8号楼"),
        ("lone", {"one_per": "household"}, "no_household", "住户信息尚未登记"),
        ("worker", {}, "unverified", "实名核验通过后"),
    ],
)
def test_who_may_not_answer_is_told_why(api, org, actors, place, who, fields, code, words):
    fields = {
        key: getattr(place, value) if key in ("compound", "building") else value
        for key, value in fields.items()
    }
    c = published(org, actors, **fields)
    if who == "lone":
        user = board_resident(org.community, building=place.a1, real_name="独居老人")
    elif who == "worker":
        user = actors.worker
    else:
        user = getattr(place, who)
    api.force_authenticate(user)
    reason = block(api, c)
    assert reason["code"] == code and words in reason["message"]
    # The service agrees: refused, nothing written.
    assert respond(api, c).status_code == 403
    assert not Response.objects.exists()


def test_the_window_is_the_reason_before_and_after(api, org, actors, place):
    soon = timezone.now() + datetime.timedelta(days=1)
    c = published(org, actors, opens_at=soon, closes_at=soon + datetime.timedelta(days=2))
    api.force_authenticate(place.alice)
    assert block(api, c)["code"] == "upcoming"
    assert respond(api, c).status_code == 409
    with time_machine.travel(c.closes_at + datetime.timedelta(minutes=1)):
        assert block(api, c)["code"] == "closed"
        assert respond(api, c).status_code == 409
    cancelled = published(org, actors)
    services.consultation_cancel(actor=actors.worker, consultation=cancelled, reason="重复发布")
    assert block(api, cancelled) == {"code": "cancelled", "message": "意见征询已取消。"}


def test_a_household_member_learns_who_answered_for_the_household(api, org, actors, place):
    c = published(org, actors, one_per="household")
    api.force_authenticate(place.alice)
    assert respond(api, c).status_code == 201
    mine = api.get(url(c, "my-response/")).json()
    assert mine["mine"] is True and mine["submitted_by"] == "王阿姨"
    api.force_authenticate(place.bob)
    detail = api.get(url(c)).json()
    assert detail["my_response"] is True and detail["respond_block"] is None
    theirs = api.get(url(c, "my-response/")).json()
    assert theirs == {**theirs, "mine": False, "submitted_by": "王阿姨", "answers": []}


def test_a_paper_sheet_says_so_to_the_resident(api, org, actors, place):
    c = published(org, actors)
    from residents.models import Resident

    services.consultation_paper_response(
        actor=actors.worker,
        consultation=c,
        resident=Resident.objects.get(account=place.alice),
        answers=answers(c),
    )
    api.force_authenticate(place.alice)
    mine = api.get(url(c, "my-response/")).json()
    assert mine["channel"] == "paper" and mine["submitted_by"] == "王阿姨"


# -- notices: when I acknowledged ----------------------------------------------------------------


def test_my_acknowledgement_time_is_in_the_detail_and_the_list(api, org, actors, place):
    notice = NoticeFactory(community=org.community, requires_ack=True)
    services.notice_publish(actor=actors.worker, notice=notice)
    api.force_authenticate(place.alice)
    detail = api.get(f"/api/v1/notices/{notice.pk}/").json()
    assert detail["my_ack"] is False and detail["my_ack_at"] is None
    assert api.post(f"/api/v1/notices/{notice.pk}/ack/").status_code == 201
    acked_at = NoticeAck.objects.get().acked_at
    detail = api.get(f"/api/v1/notices/{notice.pk}/").json()
    row = api.get("/api/v1/notices/").json()["results"][0]
    for data in (detail, row):
        assert data["my_ack"] is True
        assert datetime.datetime.fromisoformat(data["my_ack_at"]) == acked_at
    # Someone else's acknowledgement is not mine.
    api.force_authenticate(place.bob)
    assert api.get(f"/api/v1/notices/{notice.pk}/").json()["my_ack_at"] is None


# -- the shared workflow fields ------------------------------------------------------------------


def test_board_items_share_their_workflow_fields_without_a_schema_change():
    out = io.StringIO()
    call_command("makemigrations", "board", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
    assert issubclass(Notice, BoardItem) and issubclass(Consultation, BoardItem)
    for model in (Notice, Consultation):
        status = model._meta.get_field("status")
        assert status.choices == model.Status.choices and status.default == "draft"
        assert status.db_index and status.max_length == 16
        assert model(status="published").get_status_display() == "已发布"
    # The migrated words stay each model's own.
    assert Notice._meta.get_field("created_by").verbose_name == "撰写人"
    assert Consultation._meta.get_field("created_by").verbose_name == "发起人"
    assert Notice._meta.get_field("published_at").verbose_name == "操作发布时间"
    assert Consultation._meta.get_field("published_at").verbose_name == "发布时间"
