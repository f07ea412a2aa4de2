"""schemathesis against the app (in process, fake embedder): every operation of the OpenAPI schema
with generated input, all checks on: no 5xx, statuses and bodies as the schema says."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from service.api.app import create_app
from tests.service.conftest import make_engine

TOKENS = {"s3cret-admin": {"name": "admin", "admin": True}}


@pytest.fixture(scope="module")
def app(tmp_path_factory, seeds_dir):
    return create_app(make_engine(tmp_path_factory.mktemp("fuzz"), seeds_dir, tokens=TOKENS))


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def checker(operation):
    """A hypothesis test of one operation (admin routes called with the admin token)."""
    admin = "/admin/" in operation.path

    @given(case=operation.as_strategy())
    # derandomize: the same examples on every CI run (a failure reproduces); raise max_examples to explore
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=True,
    )
    def check(case):
        headers = {"host": "testserver"}
        if admin and case.method.upper() != "GET":
            headers["Authorization"] = "Bearer s3cret-admin"
        case.call_and_validate(headers=headers)

    return check


def test_every_operation_holds_to_its_schema(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:
        checker(operation)()
