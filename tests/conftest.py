import os

import pytest

os.environ.setdefault("RONAGH_TESTING", "1")


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "fa"
