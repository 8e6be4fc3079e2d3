from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.views import healthz

api_v1 = [
    path("", include("accounts.urls")),
    path("", include("grids.urls")),
    path("", include("residents.urls")),
    path("", include("notifications.urls")),
    path("", include("proposals.urls")),
    path("", include("projects.urls")),
    path("", include("volunteers.urls")),
    path("", include("dashboards.urls")),
    path("", include("board.urls")),
    path("", include("covenants.urls")),
    path("", include("property_governance.urls")),
    path("", include("forums.urls")),
    path("", include("cadres.urls")),
    path("", include("cases.urls")),
    path("", include("disputes.urls")),
    path("", include("reporting.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("dashboard/", include("dashboards.page_urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz/", healthz, name="healthz"),
    path("", include("covenants.page_urls")),
    path("", include("property_governance.page_urls")),
    path("", include("forums.page_urls")),
    path("", include("cadres.page_urls")),
    path("", include("cases.page_urls")),
    path("", include("pages.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
