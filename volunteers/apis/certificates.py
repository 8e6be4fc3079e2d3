"""A resident's own certificate of volunteer hours 志愿服务时长证明, from the API.

One endpoint, two representations of the same selector's figures (the ones the workers print
in the admin): JSON for the resident pages to lay out, and the printable A4 page itself for a
browser (`Accept: text/html`, or `?format=html`), so that a resident can print or save it
without a worker. The page is the admin's template: one certificate, one look.
"""

from django.template.loader import render_to_string
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers, serializers
from rest_framework.response import Response

from core.exceptions import ApplicationError

from ..models import VolunteerProfile
from ..selectors import activities as selectors
from ..selectors.certificates import certificate_for
from .people import MAX_YEAR, MIN_YEAR, VolunteerRefOutput, VolunteersApi

CERTIFICATE_TEMPLATE = "admin/volunteers/certificate.html"


class CertificateRowOutput(serializers.Serializer):
    activity_id = serializers.IntegerField()
    date = serializers.DateField(help_text=_("活动日期（北京时间）"))
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    title = serializers.CharField()
    place = serializers.CharField()
    community = serializers.CharField()
    team = serializers.CharField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=2)


class CertificateOutput(serializers.Serializer):
    name = serializers.CharField()
    community = VolunteerRefOutput()
    issuer = serializers.CharField(help_text=_("出具并盖章的单位（居委会）"))
    year = serializers.IntegerField(allow_null=True, help_text=_("统计年度；空为全部年度"))
    issued_on = serializers.DateField()
    count = serializers.IntegerField(help_text=_("经审核的服务次数"))
    total_hours = serializers.DecimalField(max_digits=9, decimal_places=2)
    rows = CertificateRowOutput(many=True)


class CertificateQueryInput(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, allow_null=True, min_value=MIN_YEAR, max_value=MAX_YEAR
    )


class CertificateHTMLRenderer(renderers.BaseRenderer):
    """The printable page. Errors (not a volunteer, a bad year) become a short page with the
    same message, with the status the JSON would have had."""

    media_type = "text/html"
    format = "html"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        response = renderer_context.get("response")
        view = renderer_context.get("view")
        certificate = getattr(view, "certificate", None)
        if (response is not None and response.exception) or certificate is None:
            detail = (data or {}).get("detail", "") if isinstance(data, dict) else ""
            return format_html(
                '<!DOCTYPE html><html><head><meta charset="utf-8"><title>{}</title></head>'
                "<body><p>{}</p></body></html>",
                detail,
                detail,
            ).encode()
        return render_to_string(
            CERTIFICATE_TEMPLATE,
            {"certificates": [certificate], "back_url": ""},
            # The Django request underneath DRF's, for the template's context processors.
            request=getattr(renderer_context.get("request"), "_request", None),
        ).encode()


class VolunteerCertificateApi(VolunteersApi):
    queryset = VolunteerProfile.objects.none()
    renderer_classes = [renderers.JSONRenderer, CertificateHTMLRenderer]

    @extend_schema(
        summary=_("我的志愿服务时长证明"),
        description=str(
            _(
                "本人经审核的志愿服务明细与合计。默认返回 JSON；"
                "请求头 Accept: text/html 或参数 format=html 时返回可直接打印的 A4 网页。"
                "未登记为志愿者时返回 404。"
            )
        ),
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description=str(_("年度；不填为全部年度"))),
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                enum=["json", "html"],
                description=str(_("返回格式：json（默认）或 html（可打印网页）")),
            ),
        ],
        responses={
            (200, "application/json"): CertificateOutput,
            (200, "text/html"): OpenApiTypes.STR,
        },
    )
    def get(self, request):
        query = CertificateQueryInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        profile = selectors.my_profile(user=request.user)
        if profile is None:
            raise ApplicationError(_("请先登记为志愿者。"), code="not_found")
        self.certificate = certificate_for(profile, year=query.validated_data.get("year"))
        return Response(CertificateOutput(self.certificate).data)


urlpatterns = [
    path(
        "volunteers/me/certificate/",
        VolunteerCertificateApi.as_view(),
        name="volunteer-me-certificate",
    ),
]
