"""Checks on uploaded evidence photos without Pillow: the extension and the file's own
magic bytes must both say it is an image, so a renamed document is refused."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_PHOTO_BYTES = 8 * 1024 * 1024
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp"}


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def validate_photo(upload) -> None:
    if Path(upload.name or "").suffix.lower() not in IMAGE_EXTENSIONS:
        raise ValidationError(
            _("请上传 JPG、PNG、GIF 或 WEBP 格式的照片。"), code="photo_extension"
        )
    if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(_("照片不能超过 8 MB。"), code="photo_too_large")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    if _sniff(head) is None:
        raise ValidationError(_("文件内容不是有效的图片。"), code="photo_content")
