"""Photo checks: a phone photo of a broken lamp, not an arbitrary upload."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_PHOTO_BYTES = 8 * 1024 * 1024  # a modern phone's full-size JPEG stays under this
ALLOWED_PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PHOTOS_PER_TOPIC = 9  # the grid of nine that residents know from WeChat


def validate_photo(file):
    """Size first (cheap), then the real format read by Pillow, never the file name."""
    from PIL import Image, UnidentifiedImageError

    if file.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("图片不能超过 %(mb)d MB。") % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)},
            code="photo_too_large",
        )
    pos = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            fmt = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("无法识别的图片文件。"), code="photo_invalid") from exc
    finally:
        file.seek(pos)
    if fmt not in ALLOWED_PHOTO_FORMATS:
        raise ValidationError(
            _("只接受 JPEG、PNG、WEBP 或 GIF 图片。"),
            code="photo_type",
        )
