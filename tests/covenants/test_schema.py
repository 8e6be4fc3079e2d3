"""The covenants' API is documented in the OpenAPI schema (every path with a summary), and
the residents' covenant responses carry no amount per household."""

from drf_spectacular.generators import SchemaGenerator

PATHS = {
    "/api/v1/covenants/": {"get", "post"},
    "/api/v1/covenants/{id}/": {"get", "patch"},
    "/api/v1/covenants/{id}/versions/": {"get"},
    "/api/v1/covenants/{id}/timeline/": {"get"},
    "/api/v1/covenants/{id}/discussion/": {"post"},
    "/api/v1/covenants/{id}/signing/": {"post"},
    "/api/v1/covenants/{id}/decide/": {"post"},
    "/api/v1/covenants/{id}/amend/": {"post"},
    "/api/v1/covenants/{id}/repeal/": {"post"},
    "/api/v1/covenants/{id}/cancel/": {"post"},
    "/api/v1/covenants/{id}/comments/": {"get", "post"},
    "/api/v1/covenant-comments/{id}/report/": {"post"},
    "/api/v1/covenant-comments/{id}/hide/": {"post"},
    "/api/v1/covenant-comments/{id}/restore/": {"post"},
    "/api/v1/covenants/{id}/sign/": {"post"},
    "/api/v1/covenants/{id}/paper-signature/": {"post"},
    "/api/v1/covenants/{id}/signatures/": {"get"},
    "/api/v1/covenants/{id}/pledges/": {"post"},
    "/api/v1/covenants/{id}/receipts/": {"post"},
    "/api/v1/covenants/{id}/fund-reversals/": {"post"},
    "/api/v1/covenants/{id}/fund/households/": {"get"},
    "/api/v1/covenants/{id}/signatures.xlsx": {"get"},
    "/api/v1/covenants/{id}/fund.xlsx": {"get"},
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
    assert set(components["CovenantFundOut"]["properties"]) == {
        "pledged",
        "received",
        "households",
    }
    for name in ("CovenantListOut", "CovenantDetailOut"):
        assert not {"household", "amount"} & set(components[name]["properties"])
