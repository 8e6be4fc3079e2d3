"""Opening a round tells the community's verified residents in their inbox, once."""

import pytest

from cadres import services
from cadres.tasks import notify_round_opened
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_opening_notifies_the_communitys_residents_once(
    draft, actors, voters, pending, outsider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.round_open(actor=actors.worker, round=draft)
    told = Notification.objects.filter(kind="cadres.round_opened")
    assert set(told.values_list("recipient", flat=True)) == {v.pk for v in voters}
    assert told.first().url == "/cadre-review/"
    # A second run (a redelivered message) sends nothing again.
    assert notify_round_opened(draft.pk) == 0
    assert told.count() == len(voters)


def test_small_batches_reach_everyone(draft, actors, voters, monkeypatch):
    services.round_open(actor=actors.worker, round=draft)
    sent, finished = services.round_notify_batch(round_id=draft.pk, batch=4)
    assert (sent, finished) == (4, False)
    sent, finished = services.round_notify_batch(round_id=draft.pk, batch=4)
    assert (sent, finished) == (2, True)


def test_a_cancelled_round_notifies_nobody(draft, actors, voters):
    services.round_open(actor=actors.worker, round=draft)
    services.round_cancel(actor=actors.worker, round=draft, reason="改期")
    assert notify_round_opened(draft.pk) == 0
    assert not Notification.objects.exists()
