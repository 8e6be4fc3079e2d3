"""One application error type and the one handler that turns errors into JSON.

Services raise `ApplicationError`; the API answers with
`{"detail": ..., "code": ..., "fields": {field: [reason, ...]}}` and the status that
belongs to the code. Nothing a user can send ends in a bare 500.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

STATUS_BY_CODE = {
    "invalid": status.HTTP_400_BAD_REQUEST,
    "forbidden": status.HTTP_403_FORBIDDEN,
    "not_found": status.HTTP_404_NOT_FOUND,
    "conflict": status.HTTP_409_CONFLICT,
    # Too many attempts: a throttle, or a sign-in lock-out (django-axes).
    "throttled": status.HTTP_429_TOO_MANY_REQUESTS,
    "locked_out": status.HTTP_429_TOO_MANY_REQUESTS,
}


class ApplicationError(Exception):
    """A business rule refused a change. `code` picks the HTTP status."""

    def __init__(self, message, *, code="invalid", fields=None):
        super().__init__(message)
        self.message = str(message)
        self.code = code
        self.fields = {
            k: [str(v) for v in (vs if isinstance(vs, list | tuple) else [vs])]
            for k, vs in (fields or {}).items()
        }

    @property
    def status_code(self):
        return STATUS_BY_CODE.get(self.code, status.HTTP_400_BAD_REQUEST)


def _django_validation_fields(exc):
    if hasattr(exc, "message_dict"):
        return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        body = {"detail": exc.message, "code": exc.code, "fields": exc.fields}
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = drf_exceptions.ValidationError(_django_validation_fields(exc))
    elif isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = drf_exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, drf_exceptions.ValidationError):
        data = response.data
        fields = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {
            "detail": str(_("输入有误，请检查后重试。")),
            "code": "invalid",
            "fields": fields,
        }
    elif isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        response.data = {
            "detail": str(detail),
            "code": getattr(detail, "code", "error"),
            "fields": {},
        }
    return response
