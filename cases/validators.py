"""Upload checks of the cases app: evidence photos as the grid's patrol photos are checked."""

from grids.validators import validate_photo

# Photos per upload step (filing, handling): a phone's share sheet caps at nine.
MAX_PHOTOS = 9

__all__ = ["MAX_PHOTOS", "validate_photo"]
