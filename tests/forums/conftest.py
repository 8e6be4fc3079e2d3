"""The forums' place: the shared `org` and `actors`, a council of the first community with two
members, a scheduled meeting of it, a topic of the community and a verified resident of it
(and one of the sibling community)."""

import pytest

from tests.factories.board import board_resident
from tests.factories.forums import ForumFactory, MeetingFactory, MemberFactory
from tests.factories.proposals import TopicFactory


@pytest.fixture
def forum(org):
    f = ForumFactory(community=org.community, name="一居同心议事会")
    f.chair = MemberFactory(
        forum=f, name="王书记", role="chair", represents="neighbourhood_committee"
    )
    f.member = MemberFactory(forum=f, name="李阿姨")
    return f


@pytest.fixture
def meeting(forum):
    return MeetingFactory(forum=forum, title="加装电梯协调会")


@pytest.fixture
def topic(org):
    return TopicFactory(community=org.community, title="三号楼加装电梯")


@pytest.fixture
def residents(org):
    class R:
        pass

    r = R()
    r.home = board_resident(org.community, real_name="赵大爷")
    r.other = board_resident(org.sibling_community, real_name="钱女士")
    return r


def hold_payload(forum, **extra):
    return {
        "minutes": "<p>同意推进。</p><script>alert(1)</script>",
        "present_members": [forum.chair.pk],
        "guests": [{"name": "物业经理", "represents": "property_company"}],
        "decisions": [{"text": "成立加装电梯工作小组"}],
        **extra,
    }
