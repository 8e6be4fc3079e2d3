"""Consultations and polls: drafting with questions, publish and cancel, answering (eligibility,
one per resident or household, validation), paper answers, results and turnout, export;
who may NOT, bad input (400 naming the field, nothing written)."""

import datetime
import io

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from board import services
from board.models import Answer, Consultation, ConsultationEvent, Question, Response
from tests.factories.board import ConsultationFactory, add_questions

from .conftest import answers

pytestmark = pytest.mark.django_db

URL = "/api/v1/consultations/"


def url(c, suffix=""):
    return f"{URL}{c.pk}/{suffix}"


def draft(org, **fields):
    c = ConsultationFactory(community=org.community, **fields)
    c.single, c.multiple, c.text = add_questions(c)
    return c


def published(org, actors, **fields):
    c = draft(org, **fields)
    services.consultation_publish(actor=actors.worker, consultation=c)
    c.refresh_from_db()
    return c


def new_consultation(**overrides):
    now = timezone.now()
    return {
        "audience": "community",
        "title": "小区停车收费方案征询",
        "description": "请选择您支持的方案。",
        "opens_at": (now + datetime.timedelta(hours=1)).isoformat(),
        "closes_at": (now + datetime.timedelta(days=7)).isoformat(),
        "one_per": "household",
        "results_visibility": "live",
        "questions": [
            {"kind": "single", "text": "支持哪个方案？", "options": ["方案一", "方案二"]},
            {
                "kind": "multiple",
                "text": "希望增加哪些车位？",
                "options": ["地面", "机械", "周边道路"],
                "max_choices": 2,
            },
            {"kind": "text", "text": "其他建议", "required": False, "max_length": 200},
        ],
        **overrides,
    }


# -- drafting ---------------------------------------------------------------------------------


def test_worker_drafts_a_consultation_with_questions(api, org, actors):
    api.force_authenticate(actors.worker)
    response = api.post(URL, new_consultation(community=org.community.pk), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["phase"] == "draft"
    assert [q["kind"] for q in body["questions"]] == ["single", "multiple", "text"]
    assert [o["text"] for o in body["questions"][0]["options"]] == ["方案一", "方案二"]
    assert body["questions"][1]["max_choices"] == 2
    assert {"update", "publish", "cancel"} <= set(body["actions"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"questions": []}, "questions"),
        (
            {"questions": [{"kind": "single", "text": "q", "options": ["只有一个"]}]},
            "questions.0.options",
        ),
        (
            {"questions": [{"kind": "single", "text": "q", "options": ["甲", "甲"]}]},
            "questions.0.options",
        ),
        (
            {
                "questions": [
                    {"kind": "multiple", "text": "q", "options": ["甲", "乙"], "max_choices": 3}
                ]
            },
            "questions.0.max_choices",
        ),
        ({"questions": [{"kind": "text", "text": "q", "options": ["甲"]}]}, "questions.0.options"),
        ({"questions": [{"kind": "bogus", "text": "q"}]}, "questions"),
        ({"audience": "street"}, "audience"),
        ({"audience": "compound"}, "compound"),
        ({"closes_at": "2020-01-01T00:00:00Z"}, "closes_at"),
    ],
)
def test_bad_drafts_are_400_naming_the_field_and_write_nothing(api, org, actors, change, field):
    api.force_authenticate(actors.worker)
    data = new_consultation(community=org.community.pk, **change)
    if change.get("questions") == []:
        # An empty list is allowed at create (a draft); publishing needs a question.
        response = api.post(URL, data, format="json")
        assert response.status_code == 201
        c = Consultation.objects.get()
        response = api.post(url(c, "publish/"))
        assert response.status_code == 400 and field in response.json()["fields"]
        assert Consultation.objects.get().status == "draft"
        return
    response = api.post(URL, data, format="json")
    assert response.status_code == 400, response.json()
    fields = response.json()["fields"]
    assert field in fields or field.split(".")[0] in fields, fields
    assert not Consultation.objects.exists() and not Question.objects.exists()


@pytest.mark.parametrize("who", ["grid_leader", "district_leader", "resident", "other_worker"])
def test_who_may_not_draft_for_this_community(api, org, actors, who):
    api.force_authenticate(getattr(actors, who))
    response = api.post(URL, new_consultation(community=org.community.pk), format="json")
    assert response.status_code in (400, 403)
    assert not Consultation.objects.exists()


def test_questions_can_be_replaced_on_a_draft_only(api, org, actors):
    c = draft(org)
    api.force_authenticate(actors.worker)
    response = api.patch(
        url(c),
        {"questions": [{"kind": "single", "text": "同意吗？", "options": ["同意", "反对"]}]},
        format="json",
    )
    assert response.status_code == 200
    assert [q["text"] for q in response.json()["questions"]] == ["同意吗？"]
    assert api.post(url(c, "publish/")).status_code == 200
    response = api.patch(url(c), {"title": "新标题"}, format="json")
    assert response.status_code == 409


# -- publish and cancel -----------------------------------------------------------------------


def test_publish_and_cancel_with_a_reason(api, org, actors, place):
    c = draft(org)
    api.force_authenticate(place.alice)
    assert api.get(url(c)).status_code == 404  # drafts are the workers'
    api.force_authenticate(actors.worker)
    body = api.post(url(c, "publish/")).json()
    assert body["status"] == "published" and body["phase"] == "open"
    # Opens no earlier than publication.
    assert Consultation.objects.get().opens_at >= Consultation.objects.get().published_at
    response = api.post(url(c, "cancel/"), {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["fields"]
    body = api.post(url(c, "cancel/"), {"reason": "方案需调整"}, format="json").json()
    assert body["phase"] == "cancelled" and body["cancel_reason"] == "方案需调整"
    assert [e["verb"] for e in body["events"]] == ["publish", "cancel"]
    assert api.post(url(c, "cancel/"), {"reason": "x"}, format="json").status_code == 409
    assert api.post(url(c, "publish/")).status_code == 409
    api.force_authenticate(place.alice)
    assert api.post(url(c, "respond/"), {"answers": answers(c)}, format="json").status_code == 409


def test_a_closed_consultation_cannot_be_cancelled(api, org, actors):
    c = published(org, actors)
    api.force_authenticate(actors.worker)
    with time_machine.travel(c.closes_at + datetime.timedelta(minutes=1)):
        response = api.post(url(c, "cancel/"), {"reason": "x"}, format="json")
        assert response.status_code == 409
    assert Consultation.objects.get().status == "published"


@pytest.mark.parametrize("who", ["grid_leader", "district_leader", "other_worker", "resident"])
def test_who_may_not_publish_or_cancel(api, org, actors, who):
    c = draft(org)
    api.force_authenticate(getattr(actors, who))
    assert api.post(url(c, "publish/")).status_code in (403, 404)
    services.consultation_publish(actor=actors.worker, consultation=c)
    assert api.post(url(c, "cancel/"), {"reason": "x"}, format="json").status_code in (403, 404)
    assert Consultation.objects.get().status == "published"


# -- answering --------------------------------------------------------------------------------


def test_a_resident_answers_once(api, org, actors, place, consultation):
    api.force_authenticate(place.alice)
    detail = api.get(url(consultation)).json()
    assert "respond" in detail["actions"] and detail["eligible"] is True
    response = api.post(
        url(consultation, "respond/"),
        {"answers": answers(consultation, text="注意噪音")},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["mine"] is True and len(response.json()["answers"]) == 3
    again = api.post(
        url(consultation, "respond/"), {"answers": answers(consultation)}, format="json"
    )
    assert again.status_code == 409
    sheet = Response.objects.get()
    assert (
        sheet.voter_key.startswith("r:") and sheet.channel == "online" and sheet.user == place.alice
    )
    # Bob (same household) answers too: this one counts residents.
    api.force_authenticate(place.bob)
    assert (
        api.post(
            url(consultation, "respond/"), {"answers": answers(consultation)}, format="json"
        ).status_code
        == 201
    )


def test_one_answer_per_household(api, org, actors, place):
    c = published(org, actors, one_per="household")
    api.force_authenticate(place.alice)
    assert api.post(url(c, "respond/"), {"answers": answers(c)}, format="json").status_code == 201
    api.force_authenticate(place.bob)
    detail = api.get(url(c)).json()
    assert detail["my_response"] is True and "respond" not in detail["actions"]
    response = api.post(url(c, "respond/"), {"answers": answers(c, single=1)}, format="json")
    assert response.status_code == 409
    mine = api.get(url(c, "my-response/")).json()
    assert mine["mine"] is False and mine["answers"] == []  # Alice's answers stay hers
    assert Response.objects.get().voter_key == f"h:{place.home_1.pk}"


def test_eligibility_by_compound_and_building(api, org, actors, place):
    by_compound = published(org, actors, audience="compound", compound=place.compound_a)
    by_building = published(org, actors, audience="building", building=place.b1)
    api.force_authenticate(place.carol)  # lives in compound B, building B1
    response = api.post(
        url(by_compound, "respond/"), {"answers": answers(by_compound)}, format="json"
    )
    assert response.status_code == 403
    assert "望春里一期" in response.json()["detail"]
    assert api.get(url(by_compound)).json()["eligible"] is False
    assert (
        api.post(
            url(by_building, "respond/"), {"answers": answers(by_building)}, format="json"
        ).status_code
        == 201
    )
    api.force_authenticate(place.alice)
    assert (
        api.post(
            url(by_compound, "respond/"), {"answers": answers(by_compound)}, format="json"
        ).status_code
        == 201
    )
    assert (
        api.post(
            url(by_building, "respond/"), {"answers": answers(by_building)}, format="json"
        ).status_code
        == 403
    )
    assert Response.objects.count() == 2


def test_unverified_and_other_communities_are_refused(api, org, actors, place, consultation):
    api.force_authenticate(place.dave)  # pending: sees it (claimed community), may not answer
    assert api.get(url(consultation)).status_code == 200
    response = api.post(
        url(consultation, "respond/"), {"answers": answers(consultation)}, format="json"
    )
    assert response.status_code == 403 and "实名" in response.json()["detail"]
    api.force_authenticate(place.olga)
    response = api.post(
        url(consultation, "respond/"), {"answers": answers(consultation)}, format="json"
    )
    assert response.status_code == 404
    for who in ("worker", "street_admin", "grid_leader"):
        api.force_authenticate(getattr(actors, who))
        response = api.post(
            url(consultation, "respond/"), {"answers": answers(consultation)}, format="json"
        )
        assert response.status_code == 403, who
    assert not Response.objects.exists()


def test_only_within_the_window(api, org, actors, place):
    soon = timezone.now() + datetime.timedelta(days=1)
    c = published(org, actors, opens_at=soon, closes_at=soon + datetime.timedelta(days=2))
    api.force_authenticate(place.alice)
    assert api.get(url(c)).json()["phase"] == "upcoming"
    assert api.post(url(c, "respond/"), {"answers": answers(c)}, format="json").status_code == 409
    with time_machine.travel(c.closes_at + datetime.timedelta(seconds=1)):
        assert (
            api.post(url(c, "respond/"), {"answers": answers(c)}, format="json").status_code == 409
        )
    with time_machine.travel(soon + datetime.timedelta(hours=1)):
        assert (
            api.post(url(c, "respond/"), {"answers": answers(c)}, format="json").status_code == 201
        )


def _bad_sheets(c):
    singles = list(c.single.options.all())
    multiples = list(c.multiple.options.all())
    ok_multiple = {"question": c.multiple.pk, "options": [multiples[0].pk]}
    ok_single = {"question": c.single.pk, "options": [singles[0].pk]}
    return [
        # an option of another question
        (
            [{"question": c.single.pk, "options": [multiples[0].pk]}, ok_multiple],
            f"answers.{c.single.pk}",
        ),
        # two options on a single choice
        (
            [{"question": c.single.pk, "options": [singles[0].pk, singles[1].pk]}, ok_multiple],
            f"answers.{c.single.pk}",
        ),
        # three on "at most two"
        (
            [ok_single, {"question": c.multiple.pk, "options": [m.pk for m in multiples[:3]]}],
            f"answers.{c.multiple.pk}",
        ),
        # a required question left out
        ([ok_single], f"answers.{c.multiple.pk}"),
        # the same option twice
        (
            [ok_single, {"question": c.multiple.pk, "options": [multiples[0].pk] * 2}],
            f"answers.{c.multiple.pk}",
        ),
        # text over the question's 50 characters
        (
            [ok_single, ok_multiple, {"question": c.text.pk, "text": "字" * 51}],
            f"answers.{c.text.pk}",
        ),
        # text on a choice question
        ([{"question": c.single.pk, "text": "同意"}, ok_multiple], f"answers.{c.single.pk}"),
        # a question of another consultation
        ([ok_single, ok_multiple, {"question": 999999, "options": [1]}], "answers"),
        # the same question twice
        ([ok_single, ok_single, ok_multiple], f"answers.{c.single.pk}"),
    ]


def test_bad_answers_are_400_naming_the_question_and_write_nothing(
    api, org, actors, place, consultation
):
    api.force_authenticate(place.alice)
    for sheet, field in _bad_sheets(consultation):
        response = api.post(url(consultation, "respond/"), {"answers": sheet}, format="json")
        assert response.status_code == 400, (field, response.json())
        assert field in response.json()["fields"], (field, response.json())
    assert not Response.objects.exists() and not Answer.objects.exists()
    response = api.post(url(consultation, "respond/"), {"answers": "不是列表"}, format="json")
    assert response.status_code == 400 and "answers" in response.json()["fields"]


# -- paper answers ----------------------------------------------------------------------------


def test_worker_enters_a_paper_answer_for_an_offline_resident(
    api, org, actors, place, consultation
):
    api.force_authenticate(actors.worker)
    response = api.post(
        url(consultation, "paper-response/"),
        {"resident": place.sun.pk, "answers": answers(consultation), "note": "第12号答卷"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["channel"] == "paper" and body["entered_by"] == actors.worker.real_name
    assert body["resident"]["name"] == "孙奶奶" and body["paper_note"] == "第12号答卷"
    sheet = Response.objects.get()
    assert sheet.entered_by == actors.worker and sheet.user is None
    again = api.post(
        url(consultation, "paper-response/"),
        {"resident": place.sun.pk, "answers": answers(consultation)},
        format="json",
    )
    assert again.status_code == 409
    # Paper for Alice, then Alice online: her one answer is already in.
    services.consultation_paper_response(
        actor=actors.worker,
        consultation=consultation,
        resident=place.alice.resident,
        answers=answers(consultation),
    )
    api.force_authenticate(place.alice)
    assert (
        api.post(
            url(consultation, "respond/"), {"answers": answers(consultation)}, format="json"
        ).status_code
        == 409
    )
    mine = api.get(url(consultation, "my-response/")).json()
    assert mine["channel"] == "paper" and mine["mine"] is True


def test_paper_answers_follow_the_same_rules(api, org, actors, place):
    c = published(org, actors, audience="compound", compound=place.compound_b)
    api.force_authenticate(actors.worker)
    response = api.post(
        url(c, "paper-response/"), {"resident": place.sun.pk, "answers": answers(c)}, format="json"
    )
    assert response.status_code == 403 and "resident" in response.json()["fields"]
    response = api.post(
        url(c, "paper-response/"),
        {
            "resident": place.carol.resident.pk,
            "answers": [{"question": c.single.pk, "options": []}],
        },
        format="json",
    )
    assert response.status_code == 400 and f"answers.{c.single.pk}" in response.json()["fields"]
    assert not Response.objects.exists()


@pytest.mark.parametrize("who", ["grid_leader", "district_leader", "other_worker"])
def test_who_may_not_enter_paper_answers(api, org, actors, place, consultation, who):
    api.force_authenticate(getattr(actors, who))
    response = api.post(
        url(consultation, "paper-response/"),
        {"resident": place.sun.pk, "answers": answers(consultation)},
        format="json",
    )
    assert response.status_code in (400, 403, 404)
    assert not Response.objects.exists()


def test_a_resident_may_not_enter_paper_answers(api, place, consultation):
    api.force_authenticate(place.alice)
    response = api.post(
        url(consultation, "paper-response/"),
        {"resident": place.alice.resident.pk, "answers": answers(consultation)},
        format="json",
    )
    assert response.status_code in (400, 403)
    assert not Response.objects.exists()


# -- results and turnout ----------------------------------------------------------------------


def _vote(c, people, place, actors):
    for person, single, multiple in people:
        services.consultation_respond(
            actor=person, consultation=c, answers=answers(c, single=single, multiple=multiple)
        )


def test_results_after_close_are_hidden_from_residents_until_then(
    api, org, actors, place, consultation
):
    _vote(
        consultation,
        [(place.alice, 0, (0, 1)), (place.bob, 0, (1,)), (place.carol, 1, (2,))],
        place,
        actors,
    )
    services.consultation_paper_response(
        actor=actors.worker,
        consultation=consultation,
        resident=place.sun,
        answers=answers(consultation, single=2),
    )
    api.force_authenticate(place.alice)
    assert api.get(url(consultation, "results/")).status_code == 403
    listed = api.get(URL).json()["results"][0]
    assert listed["response_count"] is None and listed["results_available"] is False
    api.force_authenticate(actors.worker)
    results = api.get(url(consultation, "results/")).json()
    assert results["final"] is False
    turnout = results["turnout"]
    # Living residents of the community: Alice, Bob, Carol, Dave, Erin, Sun.
    assert turnout == {
        "one_per": "resident",
        "eligible": 6,
        "responses": 4,
        "online": 3,
        "paper": 1,
        "rate": 66.7,
    }
    single = results["questions"][0]
    assert [o["count"] for o in single["options"]] == [2, 1, 1]
    assert [o["share"] for o in single["options"]] == [50.0, 25.0, 25.0]
    multiple = results["questions"][1]
    assert [o["count"] for o in multiple["options"]] == [2, 2, 1, 0]
    assert multiple["respondents"] == 4
    for who in ("grid_leader", "district_leader", "street_admin"):
        api.force_authenticate(getattr(actors, who))
        assert api.get(url(consultation, "results/")).status_code == 200, who
    api.force_authenticate(actors.foreign_admin)
    assert api.get(url(consultation, "results/")).status_code == 404
    with time_machine.travel(consultation.closes_at + datetime.timedelta(minutes=1)):
        api.force_authenticate(place.alice)
        results = api.get(url(consultation, "results/"))
        assert results.status_code == 200 and results.json()["final"] is True
        # The community sees the result, not only the residents of the target.
        api.force_authenticate(place.dave)
        assert api.get(url(consultation, "results/")).status_code == 200
        api.force_authenticate(place.olga)
        assert api.get(url(consultation, "results/")).status_code == 404


def test_live_results_and_household_turnout(api, org, actors, place):
    c = published(org, actors, one_per="household", results_visibility="live")
    _vote(c, [(place.alice, 0, (0,)), (place.carol, 1, (1,))], place, actors)
    api.force_authenticate(place.erin)
    results = api.get(url(c, "results/")).json()
    # Households with a living member: 1 (Alice, Bob), 2 (Erin, Sun), 3 (Carol).
    assert results["turnout"]["eligible"] == 3 and results["turnout"]["responses"] == 2
    assert api.get(URL).json()["results"][0]["response_count"] == 2


def test_responses_list_is_for_people_staff_in_scope(api, org, actors, place, consultation):
    _vote(
        consultation,
        [(place.alice, 0, (0,)), (place.erin, 1, (1,)), (place.carol, 0, (0,))],
        place,
        actors,
    )
    api.force_authenticate(actors.worker)
    names = {
        r["resident"]["name"] for r in api.get(url(consultation, "responses/")).json()["results"]
    }
    assert names == {"王阿姨", "钱阿姨", "李女士"}
    api.force_authenticate(actors.grid_leader)  # G1: A1 and B1, not Erin's A2
    names = {
        r["resident"]["name"] for r in api.get(url(consultation, "responses/")).json()["results"]
    }
    assert names == {"王阿姨", "李女士"}
    for who, code in (("district_leader", 403), ("other_worker", 404)):
        api.force_authenticate(getattr(actors, who))
        assert api.get(url(consultation, "responses/")).status_code == code, who
    api.force_authenticate(place.alice)
    assert api.get(url(consultation, "responses/")).status_code == 403


def test_export_gives_names_to_people_staff_only(api, org, actors, place, consultation):
    _vote(consultation, [(place.alice, 0, (0,))], place, actors)
    services.consultation_respond(
        actor=place.bob, consultation=consultation, answers=answers(consultation, text="希望尽快")
    )
    api.force_authenticate(actors.worker)
    response = api.get(url(consultation, "export/"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["概况", "结果", "意见", "参与名单"]
    summary = {row[0].value: row[1].value for row in book["概况"].iter_rows(min_row=2)}
    assert summary["已参与数"] == 2 and summary["应参与数"] == 6
    assert [row[2].value for row in book["意见"].iter_rows(min_row=2)] == ["希望尽快"]
    api.force_authenticate(actors.district_leader)
    book = load_workbook(io.BytesIO(api.get(url(consultation, "export/")).content))
    assert "参与名单" not in book.sheetnames
    api.force_authenticate(place.alice)
    assert api.get(url(consultation, "export/")).status_code == 403


def test_residents_list_their_communitys_consultations(api, org, actors, place, consultation):
    published(org, actors, audience="compound", compound=place.compound_b)
    ConsultationFactory(community=org.community)  # a draft
    other = ConsultationFactory(community=org.sibling_community)
    add_questions(other)
    services.consultation_publish(actor=actors.street_admin, consultation=other)
    api.force_authenticate(place.alice)
    rows = api.get(URL).json()["results"]
    assert len(rows) == 2
    eligible = {r["target"]: r["eligible"] for r in rows}
    assert eligible == {"一居": True, "一居 · 望春里二期": False}
    assert api.get(URL, {"phase": "open"}).json()["count"] == 2
    assert api.get(URL, {"phase": "closed"}).json()["count"] == 0
    assert ConsultationEvent.objects.filter(verb="publish").count() == 3


@pytest.mark.parametrize(
    "payload",
    [
        {"answers": [{"question": "x"}]},
        {"answers": [{"question": 1, "options": ["a"]}]},
        {"answers": [{"question": 1, "text": None}]},
        {"answers": [{}]},
        {"answers": None},
        {},
        {"answers": [["not", "a", "dict"]]},
    ],
)
def test_malformed_sheets_are_400_never_500(api, place, consultation, payload):
    api.force_authenticate(place.alice)
    response = api.post(url(consultation, "respond/"), payload, format="json")
    assert response.status_code == 400, response.content
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {
            "questions": [
                {"kind": "multiple", "text": "q", "options": ["a", "b"], "max_choices": "x"}
            ]
        },
        {"questions": [{"kind": "text", "text": "q", "max_length": 99999}]},
        {"questions": "none"},
        {"opens_at": "garbage"},
        {"one_per": "family"},
        {"community": 999999},
    ],
)
def test_malformed_drafts_are_400_never_500(api, org, actors, change):
    api.force_authenticate(actors.worker)
    data = {**new_consultation(community=org.community.pk), **change}
    response = api.post(URL, data, format="json")
    assert response.status_code == 400, response.content
    assert not Consultation.objects.exists()
