"""Household signatures and votes: one per household, eligibility, paper signatures."""

import pytest
import time_machine
from django.db import IntegrityError

from core.exceptions import ApplicationError
from covenants import services
from covenants.models import Signature
from tests.factories.covenants import later, to_state

pytestmark = pytest.mark.django_db


def test_one_signature_per_household(org, actors, place, covenant):
    to_state(covenant, actors.worker, "signing")
    signature = services.covenant_sign(actor=place.alice, covenant=covenant)
    assert signature.household == place.home_1 and signature.channel == "online"
    assert signature.user == place.alice and signature.entered_by is None
    with pytest.raises(ApplicationError) as err:
        services.covenant_sign(actor=place.bob, covenant=covenant)  # same household
    assert err.value.code == "conflict"
    assert Signature.objects.count() == 1


def test_the_database_keeps_one_per_household(org, actors, place, covenant):
    to_state(covenant, actors.worker, "signing")
    signature = services.covenant_sign(actor=place.alice, covenant=covenant)
    with pytest.raises(IntegrityError):
        Signature.objects.create(
            version=signature.version, household=place.home_1, channel="online"
        )


@pytest.mark.parametrize(
    ("who", "code"),
    [("dave", "forbidden"), ("olga", "forbidden"), ("carol", "forbidden")],
)
def test_who_may_not_sign(org, actors, place, compound_covenant, who, code):
    # Dave is unverified; Olga lives in another community; Carol in compound B.
    to_state(compound_covenant, actors.worker, "signing")
    with pytest.raises(ApplicationError) as err:
        services.covenant_sign(actor=getattr(place, who), covenant=compound_covenant)
    assert err.value.code == code
    assert not Signature.objects.exists()


def test_refusal_reasons(org, actors, place, compound_covenant):
    version = to_state(compound_covenant, actors.worker, "signing").current_version
    assert services.sign_refusal(place.alice, compound_covenant, version=version) == ""
    assert "实名" in services.sign_refusal(place.dave, compound_covenant, version=version)
    assert "望春里一期" in services.sign_refusal(place.carol, compound_covenant, version=version)
    assert services.sign_refusal(actors.worker, compound_covenant, version=version)


def test_not_while_in_discussion_nor_after_the_window(org, actors, place, covenant):
    to_state(covenant, actors.worker, "discussion")
    with pytest.raises(ApplicationError) as err:
        services.covenant_sign(actor=place.alice, covenant=covenant)
    assert err.value.code == "conflict"
    services.covenant_open_signing(actor=actors.worker, covenant=covenant, closes_at=later(days=1))
    with time_machine.travel(later(days=2)), pytest.raises(ApplicationError) as err:
        services.covenant_sign(actor=place.alice, covenant=covenant)
    assert err.value.code == "conflict"
    assert not Signature.objects.exists()


def test_vote_needs_a_choice_and_sign_on_only_yes(org, actors, place, covenant):
    to_state(covenant, actors.worker, "signing", method="vote", basis="voting")
    with pytest.raises(ApplicationError) as err:
        services.covenant_sign(actor=place.alice, covenant=covenant, choice=None)
    assert "choice" in err.value.fields
    with pytest.raises(ApplicationError) as err:
        services.covenant_sign(actor=place.alice, covenant=covenant, choice="maybe")
    assert "choice" in err.value.fields
    assert services.covenant_sign(actor=place.alice, covenant=covenant, choice="no").choice == "no"


def test_sign_on_refuses_no(org, actors, place, covenant):
    to_state(covenant, actors.worker, "signing")
    with pytest.raises(ApplicationError) as err:
        services.covenant_sign(actor=place.alice, covenant=covenant, choice="no")
    assert "choice" in err.value.fields
    assert not Signature.objects.exists()


def test_paper_signature_records_who_entered_it(org, actors, place, covenant):
    to_state(covenant, actors.worker, "signing")
    signature = services.covenant_paper_sign(
        actor=actors.worker, covenant=covenant, resident=place.sun, note="上门签署 第3号"
    )
    assert signature.channel == "paper" and signature.entered_by == actors.worker
    assert signature.household == place.home_2 and signature.paper_note == "上门签署 第3号"
    with pytest.raises(ApplicationError) as err:
        services.covenant_sign(actor=place.erin, covenant=covenant)  # Sun's household
    assert err.value.code == "conflict"


def test_paper_signature_refusals(org, actors, place, compound_covenant):
    to_state(compound_covenant, actors.worker, "signing")
    carol_record = place.carol.resident
    with pytest.raises(ApplicationError) as err:
        services.covenant_paper_sign(
            actor=actors.worker, covenant=compound_covenant, resident=carol_record
        )
    assert "resident" in err.value.fields  # compound B
    for who in ("grid_leader", "district_leader", "other_worker"):
        with pytest.raises(ApplicationError) as err:
            services.covenant_paper_sign(
                actor=getattr(actors, who), covenant=compound_covenant, resident=place.sun
            )
        assert err.value.code == "forbidden"
    with pytest.raises(ApplicationError) as err:
        services.covenant_paper_sign(
            actor=actors.worker, covenant=compound_covenant, resident=place.sun, note="x" * 101
        )
    assert "note" in err.value.fields
    assert not Signature.objects.exists()


def test_a_day_before_signing_closes_the_households_not_signed_are_reminded(
    org, actors, place, covenant
):
    from notifications.clocks import reminders_sweep
    from notifications.models import Notification

    to_state(covenant, actors.worker, "signing")  # closes in 7 days
    services.covenant_sign(actor=place.alice, covenant=covenant)
    kind = "covenants.version.signing_closes.due_soon"
    reminders_sweep()
    assert not Notification.objects.filter(kind=kind).exists()  # not due yet
    with time_machine.travel(later(days=6, hours=1)):
        reminders_sweep()
        reminders_sweep()  # once
    told = set(
        Notification.objects.filter(kind=kind).values_list("recipient__real_name", flat=True)
    )
    assert told == {"李女士", "钱阿姨"}  # not Alice's household (signed), not pending Dave
    assert Notification.objects.filter(kind=kind).first().url == f"/covenants/{covenant.pk}/"
