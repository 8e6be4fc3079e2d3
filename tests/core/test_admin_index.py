"""Every staff role finds its work on the admin home page, and only its work."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def index(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return {model["object_name"] for app in response.context["app_list"] for model in app["models"]}


def test_community_worker_sees_residents_topics_and_grid_work(client, actors):
    models = index(client, actors.worker)
    assert {
        "Resident",
        "Household",
        "Topic",
        "Project",
        "MicroGrid",
        "VisitRecord",
        "Notification",
    } <= models
    assert "ResidentAccessLog" not in models
    assert "Reminder" not in models


def test_street_admin_also_reads_the_access_log_and_grants_roles(client, actors):
    models = index(client, actors.street_admin)
    assert {"Resident", "ResidentAccessLog", "RoleAssignment", "FundPool"} <= models


def test_district_leader_sees_no_personal_records(client, actors):
    models = index(client, actors.district_leader)
    assert "Resident" not in models
    assert "Household" not in models
    assert "ResidentAccessLog" not in models


def test_a_resident_account_cannot_enter_the_admin(client, actors):
    client.force_login(actors.resident)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
