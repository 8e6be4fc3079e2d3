"""The volunteers API: each sub-domain's module declares its own `urlpatterns`."""

from .apis import activities, points

urlpatterns = activities.urlpatterns + points.urlpatterns
