"""Fixtures shared by every app's tests and the browser tests."""

import pytest

from linju.conftest_world import cw, world  # noqa: F401  (fixtures: towns, residents, staff; items, places, holidays)
from linju.core.request_context import RequestContext


@pytest.fixture
def context() -> RequestContext:
    return RequestContext(ip="127.0.0.1", user_agent="pytest", path="/test")
