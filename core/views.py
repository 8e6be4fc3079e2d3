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


def axes_lockout(request, original_response=None, credentials=None):
    """django-axes' answer once a username+address is locked out (AXES_LOCKOUT_CALLABLE):
    the API's JSON error shape for API calls, a page in Chinese for the admin's form."""
    from django.conf import settings

    hours = settings.AXES_COOLOFF_TIME or 0
    minutes = max(round(hours * 60), 1)
    message = _("登录失败次数过多，账号已暂时锁定，请 %(minutes)d 分钟后再试。") % {
        "minutes": minutes
    }
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        return JsonResponse({"detail": message, "code": "locked_out", "fields": {}}, status=429)
    from django.shortcuts import render

    return render(request, "registration/locked_out.html", {"message": message}, status=429)
