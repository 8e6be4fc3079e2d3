"""The reporting place: the street's draft practical-projects list, topics in two of the
street's communities, a grid event in the first, and a topic of a foreign street."""

import pytest

from tests.factories.reporting import UpwardReportFactory, grid_event_in, topic_in


@pytest.fixture
def place(org, actors):
    class Place:
        pass

    p = Place()
    p.report = UpwardReportFactory(street=org.street, year=2026)
    p.topic = topic_in(org.community, title="加装电梯资金")
    p.sibling_topic = topic_in(org.sibling_community, title="二居停车难")
    p.event = grid_event_in(org.grid, actors.worker)
    p.foreign_topic = topic_in(org.foreign_community, title="乙一街道的议题")
    return p
