"""ID-card numbers and phone numbers: validation, normalisation, masking."""

import re

import pytest
from django.core.exceptions import ValidationError

from core.exceptions import ApplicationError
from core.validators import mask_phone
from residents import idcard
from tests.factories.residents import valid_id_number

# The checksum example of GB 11643-1999 (fictional person).
KNOWN_VALID = "11010519491231002X"


def test_valid_numbers_pass():
    idcard.validate_id_number(KNOWN_VALID)
    for seed in range(20):
        idcard.validate_id_number(valid_id_number(seed))


def test_bad_checksum_is_refused():
    wrong = KNOWN_VALID[:-1] + "1"
    with pytest.raises(ValidationError) as exc:
        idcard.validate_id_number(wrong)
    assert exc.value.code == "id_checksum"


@pytest.mark.parametrize("born", ["19990230", "19991301", "18991231", "29990101"])
def test_impossible_birth_date_is_refused(born):
    first17 = f"310104{born}123"
    number = first17 + idcard.check_char(first17)
    with pytest.raises(ValidationError) as exc:
        idcard.validate_id_number(number)
    assert exc.value.code == "id_birth_date"


@pytest.mark.parametrize(
    "value", ["31010419580301123", "3101041958030112345", "31010419580301123A", ""]
)
def test_wrong_shape_is_refused(value):
    with pytest.raises(ValidationError) as exc:
        idcard.validate_id_number(value)
    assert exc.value.code == "id_format"


def test_lowercase_x_and_spaces_are_normalised():
    assert idcard.normalize_id_number(" 110105 19491231002x ") == KNOWN_VALID
    idcard.validate_id_number(KNOWN_VALID.lower())


def test_mask_keeps_first_and_last_four():
    masked = idcard.mask_id_number("310104195803011234")
    assert masked == "3101**********1234"
    assert re.fullmatch(r"\d{4}\*{10}[\dX]{4}", idcard.mask_id_number(KNOWN_VALID.lower()))


def test_birth_date_and_gender_come_from_the_number():
    assert str(idcard.birth_date_of(KNOWN_VALID)) == "1949-12-31"
    assert idcard.gender_of(KNOWN_VALID) == "female"  # 17th digit 2: even


def test_service_stores_lowercase_x_normalised(make_resident):
    resident = make_resident(id_number=KNOWN_VALID.lower())
    assert resident.id_number_masked == "1101**********002X"
    assert resident.birth_date.isoformat() == "1949-12-31"
    assert resident.gender == "female"


@pytest.mark.parametrize(
    "bad, code",
    [
        (KNOWN_VALID[:-1] + "1", "校验位"),
        ("31010419990230" + "1234", "出生日期"),
        ("3101041958030112", "18位"),
    ],
)
def test_service_refuses_bad_numbers_on_the_field(make_resident, bad, code):
    with pytest.raises(ApplicationError) as exc:
        make_resident(id_number=bad)
    assert "id_number" in exc.value.fields
    assert code in exc.value.fields["id_number"][0]


@pytest.mark.parametrize(
    "phone, stored",
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("021-64871234", "021-64871234"),
    ],
)
def test_phone_is_validated_and_normalised(make_resident, phone, stored):
    assert make_resident(phone=phone).phone == stored


@pytest.mark.parametrize("phone", ["12345", "23812345678", "1381234567x", "021-12"])
def test_bad_phone_is_refused_on_the_field(make_resident, phone):
    with pytest.raises(ApplicationError) as exc:
        make_resident(phone=phone)
    assert list(exc.value.fields) == ["phone"]


def test_phone_masking():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("021-64871234") == "********1234"
    assert mask_phone("") == ""
