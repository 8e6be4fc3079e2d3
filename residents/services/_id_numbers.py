"""ID numbers: validation, encryption with blind index and masked copy, and the check that
one person has one record.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import crypto
from core.exceptions import ApplicationError

from .. import idcard
from ..models import Resident

ID_NUMBER_PURPOSE = "resident.id_number"


def id_number_index(id_number: str) -> str:
    """The blind index of an ID number (keyed HMAC of the normalised number)."""
    return crypto.blind_index(idcard.normalize_id_number(id_number), purpose=ID_NUMBER_PURPOSE)


def _clean_id_number(id_number: str) -> str:
    number = idcard.normalize_id_number(id_number)
    if not number:
        return ""
    try:
        idcard.validate_id_number(number)
    except ValidationError as exc:
        raise ApplicationError(
            exc.messages[0], code="invalid", fields={"id_number": exc.messages}
        ) from None
    return number


def _set_id_number(resident: Resident, number: str) -> None:
    if not number:
        resident.id_number_encrypted = ""
        resident.id_number_index = ""
        resident.id_number_masked = ""
        return
    index = id_number_index(number)
    duplicate = Resident.objects.filter(id_number_index=index)
    if resident.pk:
        duplicate = duplicate.exclude(pk=resident.pk)
    # Checked against every resident, not only the actor's scope: one person has one record.
    # The message names no other record, so nothing outside the actor's scope is disclosed.
    if duplicate.exists():
        raise _duplicate_id_error()
    _store_id_number(resident, number, index)


def _store_id_number(resident: Resident, number: str, index: str) -> None:
    """The ciphertext, blind index and masked copy of a validated, non-duplicate number."""
    resident.id_number_encrypted = crypto.encrypt(number, purpose=ID_NUMBER_PURPOSE)
    resident.id_number_index = index
    resident.id_number_masked = idcard.mask_id_number(number)


def _duplicate_id_error():
    message = _("该身份证号已有居民登记，请先按身份证号查找该居民，勿重复录入。")
    return ApplicationError(message, code="invalid", fields={"id_number": [message]})


def _decrypt_id_number(resident: Resident) -> str:
    return crypto.decrypt(resident.id_number_encrypted, purpose=ID_NUMBER_PURPOSE)
