"""One error shape for every API error: {"detail", "code", "fields"}, and the right status."""

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from core.exceptions import ApplicationError, exception_handler

factory = APIRequestFactory()


def answer(exc):
    class Boom(APIView):
        authentication_classes = []
        permission_classes = []

        def get(self, request):
            raise exc

    response = Boom.as_view()(factory.get("/"))
    return response.status_code, response.data


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("invalid", 400),
        ("forbidden", 403),
        ("not_found", 404),
        ("conflict", 409),
        ("throttled", 429),
        ("locked_out", 429),
        ("something_else", 400),
    ],
)
def test_application_error_codes_map_to_statuses(code, status):
    got_status, body = answer(ApplicationError("不行", code=code, fields={"x": "原因"}))
    assert got_status == status
    assert body == {"detail": "不行", "code": code, "fields": {"x": ["原因"]}}


def test_application_error_keeps_several_reasons_per_field():
    _, body = answer(ApplicationError("不行", fields={"password": ["太短", "太常见"]}))
    assert body["fields"] == {"password": ["太短", "太常见"]}


class Input(serializers.Serializer):
    phone = serializers.CharField()
    age = serializers.IntegerField()


def test_serializer_validation_error_names_each_field():
    s = Input(data={"age": "x"})
    assert not s.is_valid()
    status, body = answer(exceptions.ValidationError(s.errors))
    assert status == 400
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"phone", "age"}
    assert body["detail"]


def test_list_validation_error_becomes_non_field_errors():
    status, body = answer(exceptions.ValidationError(["整体有误"]))
    assert status == 400
    assert body["fields"] == {"non_field_errors": ["整体有误"]}


def test_django_validation_error_with_fields():
    status, body = answer(DjangoValidationError({"phone": ["格式不对"]}))
    assert status == 400
    assert body["fields"] == {"phone": ["格式不对"]}
    status, body = answer(DjangoValidationError("整体有误"))
    assert body["fields"] == {"non_field_errors": ["整体有误"]}


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (Http404(), 404, "not_found"),
        (DjangoPermissionDenied(), 403, "permission_denied"),
        (exceptions.NotAuthenticated(), 403, "not_authenticated"),
        (exceptions.AuthenticationFailed(), 403, "authentication_failed"),
        (exceptions.PermissionDenied(), 403, "permission_denied"),
        (exceptions.NotFound(), 404, "not_found"),
        (exceptions.MethodNotAllowed("DELETE"), 405, "method_not_allowed"),
        (exceptions.ParseError(), 400, "parse_error"),
        (exceptions.UnsupportedMediaType("text/csv"), 415, "unsupported_media_type"),
        (exceptions.Throttled(wait=30), 429, "throttled"),
    ],
)
def test_every_drf_error_has_the_shape(exc, status, code):
    got_status, body = answer(exc)
    assert got_status == status
    assert set(body) == {"detail", "code", "fields"}
    assert body["code"] == code
    assert body["fields"] == {}
    assert isinstance(body["detail"], str)


def test_unknown_exceptions_are_left_to_django():
    assert exception_handler(RuntimeError("x"), {}) is None


@pytest.mark.django_db
def test_malformed_json_to_a_real_endpoint_is_a_400_in_shape(api):
    response = api.post("/api/v1/auth/register/", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
