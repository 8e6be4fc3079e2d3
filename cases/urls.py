"""The API routes of this app (included at /api/v1/)."""

from .apis import departments, events

urlpatterns = events.urlpatterns + departments.urlpatterns
