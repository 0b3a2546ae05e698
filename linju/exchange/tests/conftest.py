import pytest

from linju.exchange.standin import StandInProvince, serve

KEY = "province-test-key"


@pytest.fixture
def province(settings):
    """The stand-in province served in a thread, and the settings pointing at it."""
    app = StandInProvince(KEY, seed=7)
    server, url = serve(app)
    settings.LINJU_PROVINCE_URL = url
    settings.LINJU_PROVINCE_KEY = KEY
    settings.LINJU_EXCHANGE_TIMEOUT = 2.0
    yield app
    server.shutdown()
    server.server_close()
