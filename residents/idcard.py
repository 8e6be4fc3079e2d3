"""The 18-digit resident identity card number (GB 11643-1999): validation and masking."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ID_RE = re.compile(r"^\d{17}[\dX]$")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def normalize_id_number(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str) -> None:
    number = normalize_id_number(value)
    if not ID_RE.match(number):
        raise ValidationError(_("身份证号应为18位，最后一位可为数字或X。"), code="id_format")
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号中的出生日期无效。"), code="id_birth_date") from None
    if born.year < 1900 or born > datetime.date.today():
        raise ValidationError(_("身份证号中的出生日期无效。"), code="id_birth_date")
    if check_char(number[:17]) != number[17]:
        raise ValidationError(_("身份证号校验位不正确，请核对。"), code="id_checksum")


def mask_id_number(value: str) -> str:
    """3101**********1234: the first four (province and city) and last four characters."""
    number = normalize_id_number(value)
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def birth_date_of(value: str) -> datetime.date:
    number = normalize_id_number(value)
    return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender_of(value: str) -> str:
    """'male' or 'female' from the 17th digit (odd: male)."""
    return "male" if int(normalize_id_number(value)[16]) % 2 else "female"
