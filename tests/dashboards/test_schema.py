"""The dashboard API is documented in the OpenAPI schema, every figure with its definition."""

from drf_spectacular.generators import SchemaGenerator

from dashboards.figures import FIGURES, TREND_KEYS


def test_schema_documents_every_endpoint_and_figure():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    for path in ("units", "summary", "trend", "ranking", "{table}/export"):
        operation = paths[f"/api/v1/dashboard/{path}/"]["get"]
        assert operation["tags"] == ["dashboard"]
        assert {"400", "403", "404"} <= set(operation["responses"])
    export = paths["/api/v1/dashboard/{table}/export/"]["get"]["responses"]["200"]["content"]
    assert set(export) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    components = schema["components"]["schemas"]
    figures = components["DashboardFiguresOutput"]["properties"]
    assert list(figures) == [f.key for f in FIGURES]
    for figure in FIGURES:
        assert figures[figure.key]["description"] == f"{figure.label}：{figure.help}"
    assert set(components["DashboardTrendRowOutput"]["properties"]) == {"month", *TREND_KEYS}
    summary = paths["/api/v1/dashboard/summary/"]["get"]
    assert {p["name"] for p in summary["parameters"]} == {"unit", "period", "date", "from", "to"}
