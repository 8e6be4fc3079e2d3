"""The API of the lists sent upward (included under /api/v1/)."""

from .apis import urlpatterns

__all__ = ["urlpatterns"]
