"""Volunteer registration, profile, party members' reports and service teams."""

import datetime

from tests.factories.proposals import verified_resident
from tests.factories.volunteers import ActivityFactory, ServiceTeamFactory, VolunteerProfileFactory
from volunteers.models import (
    Attendance,
    PartyMemberReport,
    ServiceTeam,
    SignUp,
    TeamMembership,
    VolunteerProfile,
)
from volunteers.services import activities as services
from volunteers.services import people as people_services

VOLUNTEERS = "/api/v1/volunteers/"
ME = "/api/v1/volunteers/me/"
TEAMS = "/api/v1/service-teams/"
REPORTS = "/api/v1/party-member-reports/"


def test_resident_registers_and_updates_their_profile(api, org, resident):
    api.force_authenticate(resident)
    assert api.get(ME).json()["actions"] == ["register"]
    response = api.post(VOLUNTEERS, {"skills": "理发", "availability": "周末"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["community"]["id"] == org.community.pk
    assert api.post(VOLUNTEERS, {}, format="json").status_code == 409
    response = api.patch(ME, {"skills": "维修"}, format="json")
    assert response.status_code == 200 and response.json()["profile"]["skills"] == "维修"
    response = api.patch(ME, {"skills": "x" * 201}, format="json")
    assert response.status_code == 400 and "skills" in response.json()["fields"]
    assert VolunteerProfile.objects.get().skills == "维修"


def test_unverified_may_not_register(api, unverified):
    api.force_authenticate(unverified)
    assert api.post(VOLUNTEERS, {}, format="json").status_code == 403
    assert not VolunteerProfile.objects.exists()


def test_worker_registers_a_resident_of_their_community_only(api, org, actors, resident, outsider):
    api.force_authenticate(actors.worker)
    response = api.post(VOLUNTEERS, {"user": outsider.pk}, format="json")
    assert response.status_code == 400 and "user" in response.json()["fields"]
    response = api.post(VOLUNTEERS, {"user": resident.pk, "skills": "书法"}, format="json")
    assert response.status_code == 201
    assert VolunteerProfile.objects.get().user == resident
    response = api.get(VOLUNTEERS)
    assert [row["user"]["id"] for row in response.json()["results"]] == [resident.pk]
    for user in (actors.district_leader, actors.other_worker):
        api.force_authenticate(user)
        response = api.get(VOLUNTEERS)
        assert response.status_code == 403 or response.json()["count"] == 0, user


def test_my_hours_total_and_per_year(api, org, actors, resident):
    api.force_authenticate(resident)
    api.post(VOLUNTEERS, {}, format="json")
    for year in (2025, 2026, 2026):
        start = datetime.datetime(year, 3, 1, 1, tzinfo=datetime.UTC)
        activity = ActivityFactory(
            community=org.community,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3),
            signup_deadline=start - datetime.timedelta(days=1),
        )
        # First rows straight from the models: the role assignments of `actors` start today,
        # so the services cannot be walked through in past years.
        signup = SignUp.objects.create(activity=activity, user=resident, status="confirmed")
        Attendance.objects.create(
            signup=signup,
            activity=activity,
            user=resident,
            method="worker",
            checked_in_at=start,
            checked_out_at=start + datetime.timedelta(hours=2, minutes=45),
            hours=services.compute_hours(
                activity, start, start + datetime.timedelta(hours=2, minutes=45)
            ),
            status="approved",
        )
    # Not yet approved: does not count.
    Attendance.objects.create(
        signup=SignUp.objects.create(activity=activity, user=actors.worker, status="confirmed"),
        activity=activity,
        user=resident,
        method="worker",
        checked_in_at=start,
        hours=3,
        status="checked_out",
    )
    body = api.get(ME).json()
    assert body["total_hours"] == "7.50" and body["total_count"] == 3
    assert body["by_year"] == [
        {"year": 2026, "hours": "5.00", "count": 2},
        {"year": 2025, "hours": "2.50", "count": 1},
    ]


def test_party_member_reports_and_yearly_service(api, org, actors, resident, neighbour):
    api.force_authenticate(resident)
    response = api.post(REPORTS, {"employer_party_org": "某局机关党支部"}, format="json")
    assert response.status_code == 400 and "profile" in response.json()["fields"]
    api.post(VOLUNTEERS, {}, format="json")
    response = api.post(REPORTS, {"employer_party_org": ""}, format="json")
    assert response.status_code == 400 and "employer_party_org" in response.json()["fields"]
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = api.post(
        REPORTS, {"employer_party_org": "某局", "reported_on": future}, format="json"
    )
    assert response.status_code == 400 and "reported_on" in response.json()["fields"]
    assert not PartyMemberReport.objects.exists()
    response = api.post(REPORTS, {"employer_party_org": "某局机关党支部"}, format="json")
    assert response.status_code == 201
    # Neighbours see the name and the service, not the employer.
    api.force_authenticate(neighbour)
    [row] = api.get(REPORTS).json()["results"]
    assert row["name"] == "王阿姨" and row["year_count"] == 0
    assert "employer_party_org" not in row
    api.force_authenticate(actors.worker)
    [row] = api.get(REPORTS).json()["results"]
    assert row["employer_party_org"] == "某局机关党支部"
    for year in ("abc", "99999", "0"):
        response = api.get(REPORTS, {"year": year})
        assert response.status_code == 400 and "year" in response.json()["fields"]


def test_teams_create_join_leave(api, org, actors, resident, neighbour, outsider):
    leader = VolunteerProfileFactory(user=neighbour, community=org.community)
    api.force_authenticate(actors.worker)
    bad = api.post(TEAMS, {"community": org.community.pk, "name": ""}, format="json")
    assert bad.status_code == 400 and "name" in bad.json()["fields"]
    response = api.post(
        TEAMS,
        {"community": org.community.pk, "name": "文明劝导队", "leader": leader.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    team = ServiceTeam.objects.get()
    assert [m["user"]["id"] for m in response.json()["members"]] == [neighbour.pk]
    dup = api.post(TEAMS, {"community": org.community.pk, "name": "文明劝导队"}, format="json")
    assert dup.status_code == 400 and "name" in dup.json()["fields"]
    api.force_authenticate(resident)
    response = api.post(f"{TEAMS}{team.pk}/join/")
    assert response.status_code == 400 and "profile" in response.json()["fields"]
    people_services.volunteer_register(actor=resident)
    response = api.post(f"{TEAMS}{team.pk}/join/")
    assert response.status_code == 200 and response.json()["is_member"] is True
    assert response.json()["actions"] == ["leave"]
    assert api.post(f"{TEAMS}{team.pk}/join/").status_code == 409
    response = api.post(f"{TEAMS}{team.pk}/leave/")
    assert response.status_code == 200 and response.json()["members_count"] == 1
    assert TeamMembership.objects.filter(left_on__isnull=True).count() == 1
    # The leader who leaves stops leading.
    people_services.team_leave(actor=neighbour, team=team)
    assert ServiceTeam.objects.get().leader is None
    api.force_authenticate(outsider)
    assert api.post(f"{TEAMS}{team.pk}/join/").status_code == 404
    for user in (resident, actors.district_leader, actors.grid_leader):
        api.force_authenticate(user)
        response = api.post(TEAMS, {"community": org.community.pk, "name": "x"}, format="json")
        assert response.status_code == 403, user
    assert ServiceTeam.objects.count() == 1


def test_team_update_service(org, actors, resident):
    team = ServiceTeamFactory(community=org.community, name="保洁队")
    other = VolunteerProfileFactory(
        user=verified_resident(org.sibling_community), community=org.sibling_community
    )
    try:
        people_services.team_update(actor=actors.worker, team=team, leader=other)
    except people_services.ApplicationError as exc:
        assert exc.fields == {"leader": ["队长须是本居民区在册的志愿者。"]}
    else:  # pragma: no cover
        raise AssertionError("a leader from another community was accepted")
    team = people_services.team_update(actor=actors.worker, team=team, name="环境保洁队")
    assert team.name == "环境保洁队"
