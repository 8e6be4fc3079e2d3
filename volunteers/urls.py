"""The volunteers API: each sub-domain's module declares its own `urlpatterns`."""

from .apis import activities, certificates, points

urlpatterns = activities.urlpatterns + certificates.urlpatterns + points.urlpatterns
