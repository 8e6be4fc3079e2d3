"""Plumbing every board view shares: authentication first, rules permissions on objects
already fetched within scope (so an out-of-scope object answers 404 to everyone), input
serializers that only parse, pagination, and the xlsx response."""

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView

from accounts.scope import Level, actor_scope
from core.pagination import PagePagination
from core.permissions import RulesPermission


class BoardApi(GenericAPIView):
    permission_classes = [RulesPermission]
    permission_required = None
    pagination_class = PagePagination

    def paginated(self, queryset, serializer_class, *, prepare=None):
        page = self.paginate_queryset(queryset)
        if prepare is not None:
            for obj in page:
                prepare(obj)
        data = serializer_class(page, many=True, context={"request": self.request}).data
        return self.get_paginated_response(data)

    def require(self, perm, obj=None):
        if not self.request.user.has_perm(perm, obj):
            self.permission_denied(self.request)

    def parse(self, input_class, *, partial=False):
        data = input_class(
            data=self.request.data, partial=partial, context={"request": self.request}
        )
        data.is_valid(raise_exception=True)
        return data.validated_data


def step_view(base, name, *, perm, input_class, call, summary):
    """A workflow step as a verb endpoint (`POST /<things>/{id}/<verb>/`): fetch within scope,
    check `perm` on the row, parse `input_class`, call the one service, answer the detail.

    `base` names what it serves: `subject` (the service's keyword, e.g. "notice"),
    `detail_serializer`, `get_subject()` and `detail(obj)`."""

    class View(base):
        @extend_schema(summary=summary, request=input_class, responses=base.detail_serializer)
        def post(self, request, pk):
            obj = self.get_subject()
            self.require(perm, obj)
            call(actor=request.user, **{base.subject: obj}, **self.parse(input_class))
            return self.detail(obj)

    View.__name__ = View.__qualname__ = name
    View.__module__ = base.__module__
    return View


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """An id that must name a row the caller can see; any other id reads as non-existent."""

    def __init__(self, *, level=Level.ORG, **kwargs):
        self.level = level
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = request.user if request else None
        return actor_scope(user).filter(super().get_queryset(), self.level)


def choice_field(choices, **kwargs):
    """A ChoiceField documented as a string pattern with the labels, not as an enum component:
    drf-spectacular names enums after the field, and `kind` or `audience` here would collide
    with other apps' choice sets of the same name (a warning that `check --deploy` fails on)
    unless the settings named each one."""
    choices = list(choices)
    schema = {
        "type": "string",
        "pattern": "^(" + "|".join(str(value) for value, _label in choices) + ")$",
        "description": "; ".join(f"{value}: {label}" for value, label in choices),
    }
    field_class = extend_schema_field(schema)(
        type("BoardChoiceField", (serializers.ChoiceField,), {})
    )
    return field_class(choices=choices, **kwargs)


class RefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EventOut(serializers.Serializer):
    at = serializers.DateTimeField()
    actor_label = serializers.CharField()
    verb = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    note = serializers.CharField()


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class EmptyIn(serializers.Serializer):
    pass


def xlsx_response(content, filename):
    from ..exports import XLSX_CONTENT_TYPE

    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response
