import pytest

pytestmark = pytest.mark.django_db

FIXED_PATHS = {
    "/api/v1/plans/": ["get"],
    "/api/v1/plans/{id}/rollup/": ["get"],
    "/api/v1/plans/{id}/communicate/": ["post"],
    "/api/v1/actions/": ["get"],
    "/api/v1/actions/{id}/": ["get"],
    "/api/v1/progress/": ["get", "post"],
    "/api/v1/agencies/": ["get"],
    "/api/v1/agencies/{id}/scorecard/": ["get"],
}


def test_the_schema_is_openapi_with_the_fixed_paths(client):
    response = client.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path, methods in FIXED_PATHS.items():
        assert path in schema["paths"], path
        assert set(methods) <= set(schema["paths"][path]), path


def test_the_schema_documents_the_progress_report_and_token_auth(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()

    report = schema["components"]["schemas"]["ProgressReport"]["properties"]
    assert {"date", "date_jalali", "percent", "late", "entered_by_secretariat"} <= set(report)
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_schema_is_yaml_by_default(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"openapi:" in response.content
