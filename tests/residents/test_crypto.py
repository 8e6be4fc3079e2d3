"""The ID number at rest: encrypted, blind-indexed, masked; never in clear in any column."""

import pytest
from cryptography.exceptions import InvalidTag
from django.db import connection

from core import crypto
from residents import services
from residents.models import Resident
from tests.factories.residents import valid_id_number

NUMBER = valid_id_number(42)


def test_the_database_row_never_holds_the_clear_number(make_resident):
    resident = make_resident(id_number=NUMBER)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM residents_resident WHERE id = %s", [resident.pk])
        row = cursor.fetchone()
    for value in row:
        assert NUMBER not in str(value)
        # Not even the middle part that the mask hides.
        assert NUMBER[4:14] not in str(value)
    stored = Resident.objects.values("id_number_encrypted", "id_number_index").get(pk=resident.pk)
    assert stored["id_number_encrypted"].startswith("v1:")
    assert len(stored["id_number_index"]) == 64


def test_history_rows_keep_neither_ciphertext_nor_index(make_resident):
    resident = make_resident(id_number=NUMBER)
    record = resident.history.first()
    assert not hasattr(record, "id_number_encrypted")
    assert not hasattr(record, "id_number_index")
    assert record.id_number_masked == resident.id_number_masked


def test_round_trip_and_fresh_nonce_each_time():
    first = crypto.encrypt(NUMBER, purpose=services.ID_NUMBER_PURPOSE)
    second = crypto.encrypt(NUMBER, purpose=services.ID_NUMBER_PURPOSE)
    assert first != second
    assert crypto.decrypt(first, purpose=services.ID_NUMBER_PURPOSE) == NUMBER
    assert crypto.decrypt(second, purpose=services.ID_NUMBER_PURPOSE) == NUMBER


def test_a_token_bound_to_another_purpose_does_not_decrypt():
    token = crypto.encrypt(NUMBER, purpose="resident.phone")
    with pytest.raises(InvalidTag):
        crypto.decrypt(token, purpose=services.ID_NUMBER_PURPOSE)


def test_a_tampered_token_does_not_decrypt(make_resident):
    resident = make_resident(id_number=NUMBER)
    version, key_id, body = resident.id_number_encrypted.split(":", 2)
    flipped = body[:-4] + ("AAAA" if body[-4:] != "AAAA" else "BBBB")
    with pytest.raises((InvalidTag, ValueError)):
        crypto.decrypt(f"{version}:{key_id}:{flipped}", purpose=services.ID_NUMBER_PURPOSE)


def test_blind_index_is_keyed_and_stable(settings):
    index = services.id_number_index(NUMBER)
    assert index == services.id_number_index(NUMBER.lower())
    assert index != services.id_number_index(valid_id_number(43))
    # A different key gives a different index: the index cannot be rebuilt without the key.
    settings.PII_INDEX_KEY = "another-key"
    assert services.id_number_index(NUMBER) != index


def test_decrypting_the_stored_token_gives_the_number_back(make_resident, actors):
    resident = make_resident(id_number=NUMBER.lower())
    clear = services.resident_reveal_id_number(
        actor=actors.superuser, resident=resident, reason="核对", channel="admin"
    )
    assert clear == NUMBER.upper()
