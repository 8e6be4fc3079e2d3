"""The API routes of this app: each sub-domain's module declares its own `urlpatterns`."""

from .apis import forums, meetings, musts

urlpatterns = forums.urlpatterns + meetings.urlpatterns + musts.urlpatterns
