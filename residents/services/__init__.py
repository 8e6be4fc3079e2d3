"""Every write to the people's-conditions database goes through these functions.

The admin, the API, bulk import and the demo generator call them, so the rules live once:
validation of ID and phone numbers, consistency of community / grid / building / household,
the writer's scope, encryption of the ID number with its blind index and masked copy, and the
access log of staff views. The acting user is stamped on the change history
(django-simple-history) through `_history_user`, so changes made outside a request (imports,
commands) still name who made them.

The functions live in sub-domain modules (`residents`, `households`, `tags`, `bulk`, with the
shared ID-number and input checks in `_id_numbers` and `_checks`); this package re-exports them,
so callers keep writing `from residents import services` / `services.resident_create(...)`.
"""

from ._id_numbers import ID_NUMBER_PURPOSE, _decrypt_id_number, id_number_index
from .bulk import (
    BULK_UPSERT_FIELDS,
    BulkRowError,
    ResidentUpsert,
    _tags_history_model,
    residents_bulk_upsert,
)
from .households import HOUSEHOLD_FIELDS, household_create, household_delete, household_update
from .residents import (
    RESIDENT_FIELDS,
    resident_create,
    resident_delete,
    resident_find_by_id_number,
    resident_record_export,
    resident_record_view,
    resident_reveal_id_number,
    resident_update,
)
from .tags import COLOR_RE, TAG_FIELDS, tag_create, tag_delete, tag_update, tags_get_or_create

__all__ = [
    "BULK_UPSERT_FIELDS",
    "COLOR_RE",
    "HOUSEHOLD_FIELDS",
    "ID_NUMBER_PURPOSE",
    "RESIDENT_FIELDS",
    "TAG_FIELDS",
    "BulkRowError",
    "ResidentUpsert",
    "_decrypt_id_number",
    "_tags_history_model",
    "household_create",
    "household_delete",
    "household_update",
    "id_number_index",
    "resident_create",
    "resident_delete",
    "resident_find_by_id_number",
    "resident_record_export",
    "resident_record_view",
    "resident_reveal_id_number",
    "resident_update",
    "residents_bulk_upsert",
    "tag_create",
    "tag_delete",
    "tag_update",
    "tags_get_or_create",
]
