import os

import pytest

os.environ.setdefault("RONAGH_TESTING", "1")


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "fa"
    # A fast hasher: the real one costs most of a second per test user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    # WhiteNoise looks for the collected static files at start-up; the tests serve them from the
    # finders, so an empty directory is enough.
    from django.conf import settings

    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
