"""Resident tags: the street admin's catalogue, and get-or-create by name for imports."""

import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.scope import actor_scope
from core.exceptions import ApplicationError

from ..models import Tag, TagFamily
from ._checks import _check_choice, _check_length, _forbidden, _raise_if

COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
TAG_FIELDS = ("family", "name", "color", "description", "sort_order")


def _check_street_admin(actor, street) -> None:
    scope = actor_scope(actor)
    if not (scope.is_global or street.pk in scope.street_ids):
        raise _forbidden(_("只有本街道的街道管理员可以维护居民标签。"))


def _clean_tag(tag: Tag, values: dict) -> None:
    errors = {}
    name = (values["name"] or "").strip()
    _check_length(errors, "name", name, 32, required=True)
    _check_choice(errors, "family", values["family"], TagFamily.choices, blank=False)
    color = (values["color"] or "").strip()
    if not COLOR_RE.match(color):
        errors["color"] = [_("颜色应为 # 加六位十六进制数字，如 #C0392B。")]
    _check_length(errors, "description", values["description"] or "", 200)
    sort_order = values["sort_order"]
    if not isinstance(sort_order, int) or not 0 <= sort_order <= 32767:
        errors["sort_order"] = [_("排序应为 0 到 32767 之间的整数。")]
    if "name" not in errors:
        taken = Tag.objects.filter(street_id=tag.street_id, name=name)
        if tag.pk:
            taken = taken.exclude(pk=tag.pk)
        if taken.exists():
            errors["name"] = [_("本街道已有同名标签。")]
    _raise_if(errors)
    tag.name = name
    tag.family = values["family"]
    tag.color = color.upper()
    tag.description = (values["description"] or "").strip()
    tag.sort_order = sort_order


@transaction.atomic
def tag_create(
    *,
    actor,
    street,
    name,
    family=TagFamily.IDENTITY,
    color="#1F6FEB",
    description="",
    sort_order=0,
) -> Tag:
    _check_street_admin(actor, street)
    tag = Tag(street=street)
    _clean_tag(
        tag,
        {
            "name": name,
            "family": family,
            "color": color,
            "description": description,
            "sort_order": sort_order,
        },
    )
    tag.save()
    return tag


@transaction.atomic
def tag_update(*, actor, tag, **fields) -> Tag:
    unknown = set(fields) - set(TAG_FIELDS)
    if unknown:
        raise TypeError(f"tag_update() got unexpected fields: {sorted(unknown)}")
    tag = Tag.objects.select_for_update().select_related("street").get(pk=tag.pk)
    _check_street_admin(actor, tag.street)
    values = {f: getattr(tag, f) for f in TAG_FIELDS}
    values.update(fields)
    _clean_tag(tag, values)
    tag.save()
    return tag


@transaction.atomic
def tags_get_or_create(*, actor, street, names, family=TagFamily.IDENTITY) -> list[Tag]:
    """The street's tags with these names, in the order given; missing ones are created.

    Any staff member who works with people in the street may create tags this way (bulk
    import names tags by text), unlike `tag_create`, which is the street admin's catalogue
    editing; a created tag can be recoloured or described by the street admin later.
    """
    scope = actor_scope(actor)
    if not (scope.is_global or street.pk in scope.people_street_ids):
        raise _forbidden(_("您无权使用该街道的居民标签。"))
    if family not in dict(TagFamily.choices):
        raise ApplicationError(_("标签类别无效。"), fields={"family": [_("标签类别无效。")]})
    wanted = []
    for raw in names:
        name = (raw or "").strip()
        if name and name not in wanted:
            if len(name) > 32:
                message = _("标签名最多 32 个字符：%(name)s") % {"name": name}
                raise ApplicationError(message, fields={"tags": [message]})
            wanted.append(name)
    found = {t.name: t for t in Tag.objects.filter(street=street, name__in=wanted)}
    for name in wanted:
        if name in found:
            continue
        try:
            with transaction.atomic():
                found[name] = Tag.objects.create(street=street, name=name, family=family)
        except IntegrityError:
            # Created by a concurrent import between our read and our insert: take theirs.
            found[name] = Tag.objects.get(street=street, name=name)
    return [found[name] for name in wanted]


@transaction.atomic
def tag_delete(*, actor, tag) -> None:
    """Remove a tag from the street's catalogue (and from every resident who carried it)."""
    tag = Tag.objects.select_for_update().select_related("street").get(pk=tag.pk)
    _check_street_admin(actor, tag.street)
    tag.delete()
