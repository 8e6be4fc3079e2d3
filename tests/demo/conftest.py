from io import StringIO

import pytest
from django.core.management import call_command

# Few residents keep the tests fast; the map, accounts and grid work are built in full.
SMALL = ("--residents", "150")


def load_demo(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _demo_once(django_db_setup, django_db_blocker):
    """Built once per module and committed; each test still runs in its own transaction
    (rolled back), so a test that resets or rebuilds leaves the module's demo as it was."""
    from core.demo.reset import delete_demo

    with django_db_blocker.unblock():
        out = load_demo(*SMALL)
    try:
        yield out
    finally:
        with django_db_blocker.unblock():
            delete_demo()


@pytest.fixture
def demo(_demo_once, db):
    return _demo_once
