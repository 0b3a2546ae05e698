import dataclasses

import pytest


@pytest.fixture
def cw(served) -> dict:
    """The served towns (永新镇, 东溪镇, 南桐镇, their staff, stations, market and items) by name, as
    the offers' tests read them."""
    return {field.name: getattr(served, field.name) for field in dataclasses.fields(served)} | {
        "served": served
    }
