"""The dashboard page: signed-in staff with a dashboard role only; the shell the script fills."""

import pytest
from django.contrib.staticfiles import finders

from dashboards.figures import FIGURES, RANKING_KEYS

URL = "/dashboard/"


def test_anonymous_is_sent_to_the_admin_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/dashboard/"


@pytest.mark.parametrize("who", ["resident", "grid_leader"])
def test_others_get_a_403_page_in_chinese(client, actors, who):
    client.force_login(getattr(actors, who))
    response = client.get(URL)
    assert response.status_code == 403
    text = response.content.decode()
    assert "无权查看领导看板" in text
    assert 'data-testid="dashboard-forbidden"' in text


@pytest.mark.parametrize("who", ["district_leader", "street_admin", "worker", "superuser"])
def test_readers_get_the_page(client, actors, who):
    client.force_login(getattr(actors, who))
    response = client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert '<html lang="zh-hans">' in text
    assert "<h1>领导看板</h1>" in text
    for figure in FIGURES:
        assert f'data-figure="{figure.key}"' in text
    for chart in ("trend", "volunteers", "stages", "ranking", "events", "disputes"):
        assert f'data-chart="{chart}" data-ready="0" role="img"' in text
    for key in RANKING_KEYS:
        assert f'<option value="{key}">' in text
    assert "/static/vendor/echarts/echarts.min.js" in text
    assert 'id="dashboard-definitions"' in text
    assert text.count("<caption") == 6  # a table under every chart, and the weeks' table
    assert 'aria-labelledby="h-cases"' in text and "网格事件与矛盾纠纷" in text
    assert text.count('<label for="') >= 8


def test_the_page_is_get_only(client, actors):
    client.force_login(actors.street_admin)
    assert client.post(URL).status_code == 405


def test_static_files_are_vendored():
    for path in (
        "vendor/echarts/echarts.min.js",
        "vendor/echarts/LICENSE",
        "vendor/echarts/README.md",
        "dashboards/dashboard.js",
        "dashboards/dashboard.css",
    ):
        assert finders.find(path), path
