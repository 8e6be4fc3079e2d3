"""The volunteers API: each sub-domain's module declares its own `urlpatterns`."""

from importlib import import_module

urlpatterns = []
for _module in ("volunteers.apis.activities", "volunteers.apis.points"):
    try:
        urlpatterns += import_module(_module).urlpatterns
    except ModuleNotFoundError as exc:
        # While the sub-domain is being written its module may not exist yet.
        if exc.name != _module:
            raise
