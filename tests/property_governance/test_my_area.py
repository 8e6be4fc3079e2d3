"""A resident's property situation: compound → area, company, contract with fee standard,
committee with members and roles."""

import pytest

from property_governance import services
from tests.factories.property_governance import (
    OwnersCommitteeFactory,
    PropertyCompanyFactory,
    current_contract,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/property/my-area/"


def test_my_area(api, place, actors, org, django_assert_max_num_queries):
    company = PropertyCompanyFactory(street=org.street, name="安居物业")
    current_contract(place.area, company, fee="2.35")
    committee = OwnersCommitteeFactory(area=place.area)
    services.committee_member_add(
        actor=actors.worker, committee=committee, resident=place.erin.resident, role="director"
    )
    api.force_authenticate(place.alice)
    api.get(URL)
    with django_assert_max_num_queries(12):
        body = api.get(URL).json()
    assert body["compound"]["name"] == "望春里一期"
    assert body["area"]["name"] == "望春里一期物业管理区域"
    assert body["contract"]["company"]["name"] == "安居物业"
    assert body["contract"]["fees"] == [
        {
            "property_kind": "residential",
            "property_kind_display": "住宅",
            "yuan_per_m2_month": "2.35",
        }
    ]
    assert body["committee"]["members"] == [
        {
            "name": "钱阿姨",
            "role": "director",
            "role_display": "主任",
            "starts_on": str(committee.term_starts_on),
        }
    ]


def test_no_area_yet(api, place):
    api.force_authenticate(place.dave)  # pending: no verified home
    assert api.get(URL).json() == {
        "compound": None,
        "area": None,
        "contract": None,
        "committee": None,
    }
    api.force_authenticate(place.carol)  # compound B's area has no company
    body = api.get(URL).json()
    assert body["area"]["name"] == "望春里二期物业管理区域" and body["contract"] is None


def test_anonymous_is_refused(api):
    assert api.get(URL).status_code in (401, 403)
