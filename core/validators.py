"""Validation and masking of mainland phone numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def normalize_phone(value: str) -> str:
    value = (value or "").strip().replace(" ", "")
    if value.startswith("+86"):
        value = value[3:]
    return value


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(normalize_phone(value)):
        raise ValidationError(_("请输入11位手机号码，例如 13812345678。"), code="invalid_mobile")


def validate_phone(value: str) -> None:
    """A mobile number or a landline with its area code (021-12345678)."""
    value = normalize_phone(value)
    if not (MOBILE_RE.match(value) or LANDLINE_RE.match(value)):
        raise ValidationError(
            _("请输入11位手机号码或带区号的固定电话，例如 021-12345678。"), code="invalid_phone"
        )


def mask_phone(value: str) -> str:
    """138****5678 for mobiles; the last four digits only otherwise."""
    value = normalize_phone(value)
    if not value:
        return ""
    if MOBILE_RE.match(value):
        return f"{value[:3]}****{value[-4:]}"
    return "*" * max(len(value) - 4, 0) + value[-4:]
