from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext as _


def ratelimited(request, exception=None):
    """django-ratelimit's answer to a form post over its limit."""
    return JsonResponse(
        {"detail": _("操作过于频繁，请稍后再试。"), "code": "throttled", "fields": {}}, status=429
    )


def healthz(request):
    """Liveness and database check for the container health probe."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
