"""The board API: each sub-domain's module declares its own `urlpatterns`."""

from .apis import answers, consultations, notices

urlpatterns = notices.urlpatterns + consultations.urlpatterns + answers.urlpatterns
