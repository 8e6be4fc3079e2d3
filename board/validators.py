"""Checks on a notice's uploads: photos are images (grids.validators reads their magic
bytes), documents are PDF, Word or Excel files by their content, not only their name."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from grids.validators import validate_photo

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 9  # the grid of nine that residents know from WeChat
MAX_FILES = 5
# extension → the magic bytes its content must start with (docx/xlsx are zip files,
# doc/xls the old OLE compound format).
DOCUMENT_MAGIC = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
}


def validate_document(upload) -> None:
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in DOCUMENT_MAGIC:
        raise ValidationError(_("附件须为 PDF、Word 或 Excel 文件。"), code="attachment_extension")
    if upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("附件不能超过 10 MB。"), code="attachment_too_large")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8)
    upload.seek(position)
    if not head.startswith(DOCUMENT_MAGIC[suffix]):
        raise ValidationError(_("文件内容与扩展名不符。"), code="attachment_content")


__all__ = ["MAX_ATTACHMENT_BYTES", "MAX_FILES", "MAX_PHOTOS", "validate_document", "validate_photo"]
