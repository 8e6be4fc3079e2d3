"""The API routes of covenants (included at /api/v1/)."""

from .apis import covenants, participation

urlpatterns = covenants.urlpatterns + participation.urlpatterns
