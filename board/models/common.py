"""What the board's notices and consultations share: the unit they address."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scope import ScopePaths


class Audience(models.TextChoices):
    """The one unit a notice or consultation addresses (its target)."""

    STREET = "street", _("全街道")  # notices only: every community of the street
    COMMUNITY = "community", _("居民区")
    COMPOUND = "compound", _("小区")
    BUILDING = "building", _("楼组")


# Exactly the foreign keys of the audience are set: a street-wide row has no community; a
# community's has no compound or building; a compound's names its compound; a building's its
# building (its compound follows from the building and is not copied, so it cannot disagree).
TARGET_MATCHES_AUDIENCE = (
    Q(
        audience=Audience.STREET,
        community__isnull=True,
        compound__isnull=True,
        building__isnull=True,
    )
    | Q(
        audience=Audience.COMMUNITY,
        community__isnull=False,
        compound__isnull=True,
        building__isnull=True,
    )
    | Q(
        audience=Audience.COMPOUND,
        community__isnull=False,
        compound__isnull=False,
        building__isnull=True,
    )
    | Q(
        audience=Audience.BUILDING,
        community__isnull=False,
        compound__isnull=True,
        building__isnull=False,
    )
)

COMMUNITY_PATHS = ScopePaths(
    district="community__street__district", street="community__street", community="community"
)


def target_label(obj) -> str:
    """「一居 · 望春里一期」: the addressed unit as residents read it (needs the joins)."""
    if obj.audience == Audience.STREET:
        return str(obj.street)
    parts = [str(obj.community)]
    if obj.audience == Audience.COMPOUND:
        parts.append(str(obj.compound))
    elif obj.audience == Audience.BUILDING:
        parts.append(str(obj.building))
    return " · ".join(parts)
