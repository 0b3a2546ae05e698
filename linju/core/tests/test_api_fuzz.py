"""Every operation of the JSON API, fed generated requests by schemathesis (from the API's own
OpenAPI document: a dozen an operation in `make test`, three dozen in `make test-all`), as a cadre
with an API key: none may be answered with a server error. Valid and invalid data both: wrong
types, huge numbers, odd strings."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linju.accounts.services import api_token_create

# generated requests an operation: `make test` a dozen, `make test-all` (--heavy) two dozen more
EXAMPLES = {False: 12, True: 36}


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, keeping the test's database connection open between requests
    (as Django's test client does)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield get_wsgi_application()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_no_operation_answers_with_a_server_error(served, wsgi_app, pytestconfig):
    examples = EXAMPLES[pytestconfig.getoption("--heavy")]
    api_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    _token, key = api_token_create(user=served.cadre, name="fuzz")
    headers = {"Authorization": f"Bearer {key}"}
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,  # the same examples every run: the suite stays reproducible
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), data=st.data())
        def fuzz(case, data):
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(
                    (case.operation.label, response.status_code, str(case.body)[:200], case.query)
                )

        fuzz()
    assert not failures, failures[:10]
