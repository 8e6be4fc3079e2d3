"""The API routes of this app."""

from .apis import urlpatterns

__all__ = ["urlpatterns"]
