"""The whole walk through the API, forbidden moves, refused roles, bad input."""

import datetime

import pytest
from django.utils import timezone

from proposals.models import Topic, TopicEvent
from tests.factories.proposals import verified_resident

pytestmark = pytest.mark.django_db

S = Topic.State


def url(pk, verb=""):
    return f"/api/v1/topics/{pk}/{verb + '/' if verb else ''}"


def test_raised_answered_open_hands_adopted_through_the_api(api, world):
    org, a = world.org, world.actors
    # given a resident raises a topic from the phone
    api.force_authenticate(world.resident)
    r = api.post(
        "/api/v1/topics/",
        {"title": "楼道灯坏了", "body": "3号楼二楼", "category": world.category.pk},
        format="json",
    )
    assert r.status_code == 201, r.data
    pk = r.data["id"]
    assert r.data["state"] == "raised"
    assert r.data["community"]["id"] == org.community.pk
    assert r.data["grid"]["id"] == org.grid.pk
    assert "raise_hand" not in r.data["actions"]
    assert [e["verb"] for e in r.data["timeline"]] == ["raised"]

    # when a worker answers, then opens it for hands with a threshold of 2
    api.force_authenticate(a.worker)
    assert "answer" in api.get(url(pk)).data["actions"]
    r = api.post(url(pk, "answer"), {"text": "已派人查看"}, format="json")
    assert r.status_code == 200, r.data
    assert r.data["state"] == "answered" and r.data["responded_on_time"] is True
    r = api.post(url(pk, "open-for-hands"), {"threshold": 2}, format="json")
    assert r.status_code == 200, r.data
    assert r.data["state"] == "open_for_hands" and r.data["hands_threshold"] == 2

    # then two residents raise hands; the count is true
    for user in (world.resident, world.neighbour):
        api.force_authenticate(user)
        assert "raise_hand" in api.get(url(pk)).data["actions"]
        r = api.post(url(pk, "hand"))
        assert r.status_code == 200, r.data
        assert r.data["my_hand"] is True and "withdraw_hand" in r.data["actions"]
    assert r.data["hand_count"] == 2

    # and the worker adopts it (projects' project_adopt calls this service)
    from proposals.services import topic_adopt

    api.force_authenticate(a.worker)
    assert "adopt" in api.get(url(pk)).data["actions"]
    topic_adopt(actor=a.worker, topic=Topic.objects.get(pk=pk))
    r = api.get(url(pk))
    assert r.data["state"] == "adopted"
    verbs = [e["verb"] for e in api.get(url(pk, "timeline")).data]
    assert verbs == ["raised", "answer", "open_for_hands", "threshold_reached", "adopt"]


@pytest.mark.parametrize(
    "verb,payload",
    [
        ("answer", {"text": "再回应"}),
        ("solve", {"text": "已解决"}),
        ("decline", {"reason": "不属于本居委"}),
        ("open-for-hands", {"threshold": 3}),
        ("party-branch-hand", {}),
    ],
)
def test_moves_from_an_adopted_topic_are_refused_and_change_nothing(
    api, world, topic, verb, payload
):
    from proposals.services import party_branch_hand_raise, topic_adopt, topic_open_for_hands

    worker = world.actors.worker
    topic_open_for_hands(actor=worker, topic=topic, threshold=5)
    party_branch_hand_raise(actor=worker, topic=topic)
    topic_adopt(actor=worker, topic=topic)
    before = TopicEvent.objects.filter(topic=topic).count()
    api.force_authenticate(worker)
    r = api.post(url(topic.pk, verb), payload, format="json")
    assert r.status_code == 409, r.data
    assert Topic.objects.get(pk=topic.pk).state == S.ADOPTED
    assert TopicEvent.objects.filter(topic=topic).count() == before


def test_answer_twice_is_a_conflict(api, world, topic):
    api.force_authenticate(world.actors.worker)
    assert api.post(url(topic.pk, "answer"), {"text": "a"}, format="json").status_code == 200
    r = api.post(url(topic.pk, "answer"), {"text": "b"}, format="json")
    assert r.status_code == 409
    assert TopicEvent.objects.filter(topic=topic, verb="answer").count() == 1


def test_merge_rules(api, world, topic):
    from tests.factories.proposals import TopicFactory

    org = world.org
    other = TopicFactory(community=org.community, category=world.category)
    foreign = TopicFactory(community=org.sibling_community)
    api.force_authenticate(world.actors.worker)
    r = api.post(url(topic.pk, "merge"), {"into": topic.pk}, format="json")
    assert r.status_code == 400 and "into" in r.data["fields"]
    r = api.post(url(topic.pk, "merge"), {"into": foreign.pk}, format="json")
    assert r.status_code == 400 and "into" in r.data["fields"]
    assert Topic.objects.get(pk=topic.pk).state == S.RAISED
    r = api.post(url(topic.pk, "merge"), {"into": other.pk}, format="json")
    assert r.status_code == 200 and r.data["state"] == "merged"
    assert r.data["merged_into"] == other.pk
    assert TopicEvent.objects.filter(topic=other, verb="merged_from").exists()
    # merging into a merged topic is refused
    third = TopicFactory(community=org.community, category=world.category)
    r = api.post(url(third.pk, "merge"), {"into": topic.pk}, format="json")
    assert r.status_code == 400 and "into" in r.data["fields"]


@pytest.mark.parametrize(
    "path,payload,field",
    [
        ("", {"body": "x", "category": None}, "title"),
        ("decline", {"reason": ""}, "reason"),
        ("decline", {}, "reason"),
        ("open-for-hands", {"threshold": 0}, "threshold"),
        ("answer", {"text": "   "}, "text"),
    ],
)
def test_bad_input_is_400_with_the_field_and_writes_nothing(
    api, world, topic, path, payload, field
):
    payload = {k: (world.category.pk if v is None else v) for k, v in payload.items()}
    api.force_authenticate(world.actors.worker if path else world.resident)
    before = (Topic.objects.count(), TopicEvent.objects.count())
    target = "/api/v1/topics/" if not path else url(topic.pk, path)
    r = api.post(target, payload, format="json")
    assert r.status_code == 400, r.data
    assert field in r.data["fields"]
    assert (Topic.objects.count(), TopicEvent.objects.count()) == before
    assert Topic.objects.get(pk=topic.pk).state == S.RAISED


def test_open_for_hands_deadline_in_the_past_is_400(api, world, topic):
    api.force_authenticate(world.actors.worker)
    past = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    r = api.post(url(topic.pk, "open-for-hands"), {"deadline": past}, format="json")
    assert r.status_code == 400 and "deadline" in r.data["fields"]


def test_refused_roles(api, world, topic):
    a = world.actors
    # a resident of another community does not see it at all
    api.force_authenticate(world.outsider)
    assert api.get(url(topic.pk)).status_code == 404
    assert api.post(url(topic.pk, "hand")).status_code == 404
    # a district leader may read what is public to the community, but never act on it
    api.force_authenticate(a.district_leader)
    assert api.get(url(topic.pk)).data["actions"] == ["follow"]
    assert api.post(url(topic.pk, "answer"), {"text": "x"}, format="json").status_code == 403
    assert api.post(url(topic.pk, "hand")).status_code == 403
    # the worker of another community
    api.force_authenticate(a.other_worker)
    assert api.post(url(topic.pk, "answer"), {"text": "x"}, format="json").status_code == 404
    # the leader of another grid sees the community's topics but may not act on them
    api.force_authenticate(world.sibling_grid_leader)
    r = api.post(url(topic.pk, "answer"), {"text": "x"}, format="json")
    assert r.status_code in (403, 404)
    # a verified resident of the community may not answer
    api.force_authenticate(world.neighbour)
    r = api.post(url(topic.pk, "answer"), {"text": "x"}, format="json")
    assert r.status_code == 403
    assert Topic.objects.get(pk=topic.pk).state == S.RAISED
    assert not TopicEvent.objects.filter(topic=topic, verb="answer").exists()


def test_the_grid_leader_of_the_topics_grid_may_answer(api, world, topic):
    api.force_authenticate(world.actors.grid_leader)
    r = api.post(url(topic.pk, "answer"), {"text": "我来看看"}, format="json")
    assert r.status_code == 200
    assert "微网格长" in r.data["timeline"][-1]["actor_label"]


def test_unverified_resident_may_read_but_not_act(api, world, topic):
    from tests.factories.proposals import TopicFactory  # noqa: F401

    a = world.actors
    a.resident.claimed_community = world.org.community
    a.resident.save()
    api.force_authenticate(a.resident)
    assert api.get(url(topic.pk)).status_code == 200
    r = api.post(
        "/api/v1/topics/", {"title": "t", "body": "b", "category": world.category.pk}, format="json"
    )
    assert r.status_code == 403 and "实名" in r.data["detail"]
    r = api.post(url(topic.pk, "comments"), {"body": "hi"}, format="json")
    assert r.status_code == 403 and "实名" in r.data["detail"]
    assert Topic.objects.count() == 1


def test_staff_enters_a_topic_for_a_resident_and_the_resident_confirms(api, world):
    from residents.models import Resident

    org, worker = world.org, world.actors.worker
    resident_record = Resident.objects.get(account=world.neighbour)
    api.force_authenticate(worker)
    r = api.post(
        "/api/v1/topics/",
        {
            "title": "垃圾房异味",
            "body": "走访听到",
            "category": world.category.pk,
            "community": org.community.pk,
            "source": "home_visit",
            "on_behalf_of": resident_record.pk,
        },
        format="json",
    )
    assert r.status_code == 201, r.data
    pk = r.data["id"]
    r = api.post(url(pk, "solve"), {"text": "已清运"}, format="json")
    assert r.data["state"] == "solved" and r.data["first_responded_at"] is not None
    # the raiser says it is not solved: reopened to answered, on the timeline
    api.force_authenticate(world.neighbour)
    assert "confirm_solution" in api.get(url(pk)).data["actions"]
    r = api.post(url(pk, "confirm-solution"), {"solved": False, "note": "还是臭"}, format="json")
    assert r.status_code == 200, r.data
    assert r.data["state"] == "answered" and r.data["solution_confirmed"] is False
    assert r.data["timeline"][-1]["verb"] == "reopened"
    # solved again, then confirmed
    api.force_authenticate(worker)
    api.post(url(pk, "solve"), {"text": "已消杀"}, format="json")
    api.force_authenticate(world.neighbour)
    r = api.post(url(pk, "confirm-solution"), {"solved": True}, format="json")
    assert r.data["state"] == "solved" and r.data["solution_confirmed"] is True
    r = api.post(url(pk, "confirm-solution"), {"solved": True}, format="json")
    assert r.status_code == 409
    # someone else may not confirm
    api.force_authenticate(world.resident)
    assert (
        api.post(url(pk, "confirm-solution"), {"solved": False}, format="json").status_code == 403
    )


def test_resident_raising_in_another_community_is_refused(api, world):
    api.force_authenticate(world.resident)
    r = api.post(
        "/api/v1/topics/",
        {
            "title": "t",
            "body": "b",
            "category": world.category.pk,
            "community": world.org.sibling_community.pk,
        },
        format="json",
    )
    assert r.status_code == 403
    assert Topic.objects.count() == 0


def test_verified_resident_helper_is_in_scope(world):
    user = verified_resident(world.org.community)
    assert user.has_perm("proposals.hand_topic", world.org.community)
