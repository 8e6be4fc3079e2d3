"""The API routes of this app (each sub-domain's module declares its own `urlpatterns`)."""

from .apis import areas, elections

urlpatterns = areas.urlpatterns + elections.urlpatterns
