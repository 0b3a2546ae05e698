"""The bundle world (`bundled`) for these tests."""

from linju.catalog.tests.bundle_world import bundled  # noqa: F401
