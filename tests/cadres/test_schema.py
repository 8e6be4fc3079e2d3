"""The cadres' review API is documented in the OpenAPI schema, and no documented response
puts a person beside a score."""

from drf_spectacular.generators import SchemaGenerator

PATHS = {
    "/api/v1/cadre-rounds/": {"get", "post"},
    "/api/v1/cadre-rounds/current/": {"get"},
    "/api/v1/cadre-rounds/{id}/": {"get"},
    "/api/v1/cadre-rounds/{id}/cadres/": {"post"},
    "/api/v1/cadre-rounds/{id}/cadres/{cadre_pk}/": {"delete"},
    "/api/v1/cadre-rounds/{id}/open/": {"post"},
    "/api/v1/cadre-rounds/{id}/close/": {"post"},
    "/api/v1/cadre-rounds/{id}/cancel/": {"post"},
    "/api/v1/cadre-rounds/{id}/publish-results/": {"post"},
    "/api/v1/cadre-rounds/{id}/submit/": {"post"},
    "/api/v1/cadre-rounds/{id}/aggregates/": {"get"},
    "/api/v1/cadre-rounds/{id}/results/": {"get"},
    "/api/v1/cadre-rounds/{id}/export/": {"get"},
}


def test_every_endpoint_is_documented():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    for path, methods in PATHS.items():
        assert path in paths, path
        assert set(paths[path]) >= methods, path
        for method in methods:
            assert paths[path][method].get("summary"), (path, method)
    components = schema["components"]["schemas"]
    assert set(components["CadreScoresInRequest"]["properties"]) == {"scores"}
    for name in ("CadreResultsOut", "CadreAggregatesOut", "CadreResultOut"):
        assert not {"user", "participant", "voter"} & set(components[name]["properties"])
