"""What the environment decides (SPEC 9): the data directory is ./var of the working directory,
and a missing SECRET_KEY is one Persian line, not a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ronagh.core.console import Bar, LatinDigits, progress

ROOT = Path(__file__).resolve().parents[2]


def run(args, cwd, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "RONAGH_DATA_DIR"}}
    base.update(env)
    base["PYTHONPATH"] = str(ROOT / "src")
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=base, capture_output=True, text=True, timeout=120
    )


def test_the_data_directory_is_var_of_the_working_directory(tmp_path):
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='ronagh.settings'; " \
           "from django.conf import settings; print(settings.DATA_DIR)"  # fmt: skip
    done = run(["-c", code], tmp_path, RONAGH_TESTING="1", DATABASE_URL="")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str((tmp_path / "var").resolve())


def test_a_missing_secret_key_is_one_persian_line(tmp_path):
    done = run(
        ["-m", "ronagh.cli", "check-plan", "--province", "qom", "--year", "1405"],
        tmp_path,
        DEBUG="0",
        RONAGH_TESTING="0",
        RONAGH_LANGUAGE="fa",
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "SECRET_KEY" in lines[0] and "تعریف نشده" in lines[0]
    assert "Traceback" not in done.stderr


def test_the_console_writes_latin_digits():
    class Sink:
        text = ""

        def write(self, s):
            self.text += s

    sink = Sink()
    LatinDigits(sink).write("برنامه ۱۴۰۵: ۲۷ محور")
    assert sink.text == "برنامه 1405: 27 محور"


@pytest.mark.parametrize("n", [3, 600])
def test_progress_bars_on_a_log_only_for_long_work(n, settings):
    import io

    settings.RONAGH_PROGRESS = True
    out = io.StringIO()
    assert list(progress(range(n), label="کار", stream=out)) == list(range(n))
    bar = Bar(out, "خواندن")
    for i in range(1, n + 1):
        bar(i, n)
    bar.finish()
    assert (f"{n}/{n}" in out.getvalue()) == (n >= 500)


def test_a_code_of_digits_reads_in_persian_digits_one_with_latin_letters_as_typed():
    from django.utils import translation

    from ronagh.core.i18n import local_code

    with translation.override("fa"):
        assert local_code("14-06") == "۱۴-۰۶"
        assert local_code("T-1") == "T-1"
    with translation.override("en"):
        assert local_code("14-06") == "14-06"


def test_production_static_files_are_hashed_and_compressed_without_following_source_maps():
    """collectstatic with this storage (run by `ronagh serve`) names every file by its hash and
    compresses it; the npm builds' source maps are not collected, so their comments must not be
    followed (a missing file stops collectstatic)."""
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    from ronagh.staticfiles import RonaghStaticFilesStorage

    assert issubclass(RonaghStaticFilesStorage, CompressedManifestStaticFilesStorage)
    rules = [r for _ext, group in RonaghStaticFilesStorage.patterns for r in group]
    assert rules and not any("sourceMappingURL" in str(r) for r in rules)
    assert any("url" in str(r) for r in rules)  # url(...) references are still rewritten
