"""What the board's notices and consultations share: the unit they address, and the
workflow fields of a piece of board work (status, author, who published it and when)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
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


def user_field(label):
    """Who did something to a board item: kept when the account goes (the row is history)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )


class StatusField(models.CharField):
    """A board item's workflow status: its choices and its default (draft) are the concrete
    model's own `Status`, so one declaration serves every workflow. It deconstructs as the
    plain CharField it is stored as, so the migrations do not see it."""

    def contribute_to_class(self, cls, name, **kwargs):
        status = getattr(cls, "Status", None)
        if status is not None and not cls._meta.abstract:
            # Before Django's own step, which adds get_status_display when there are choices.
            self.choices = status.choices
            self.default = status.DRAFT
        super().contribute_to_class(cls, name, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class BoardItem(TimeStampedModel):
    """A notice or a consultation: written as a draft by `created_by`, published by
    `published_by` at `published_at`, moved only by its services (each model declares its
    `Status` with a DRAFT and a PUBLISHED value, and its legal moves in its services module).

    A model whose words differ redeclares a field with `user_field` or the same attributes
    (the migrated labels stay exactly as they were)."""

    status = StatusField(_("状态"), max_length=16, db_index=True)
    created_by = user_field(_("撰写人"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = user_field(_("发布人"))

    class Meta:
        abstract = True
