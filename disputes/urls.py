"""The disputes API: each sub-domain's module declares its own `urlpatterns`."""

from .apis import cases, intake

urlpatterns = cases.urlpatterns + intake.urlpatterns
