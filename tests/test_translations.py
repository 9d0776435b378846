"""Every user-visible string has its Persian translation: a Persian user never meets English."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "ronagh"
PO = SRC / "locale" / "fa" / "LC_MESSAGES" / "django.po"


def untranslated(po_text: str) -> list[str]:
    """msgids whose msgstr is empty or marked fuzzy."""
    missing, entries = [], po_text.split("\n\n")
    for entry in entries:
        lines = [ln for ln in entry.splitlines() if ln and not ln.startswith("#~")]
        if not any(ln.startswith("msgid") for ln in lines):
            continue
        fuzzy = any(ln.startswith("#,") and "fuzzy" in ln for ln in lines)
        msgid = "".join(_strings(lines, "msgid"))
        if not msgid:
            continue  # the header
        if any(ln.startswith("msgstr[") for ln in lines):
            forms = [ln for ln in lines if ln.startswith("msgstr[")]
            empty = any(ln.split(" ", 1)[1] == '""' and not _continues(lines, ln) for ln in forms)
        else:
            empty = "".join(_strings(lines, "msgstr")) == ""
        if empty or fuzzy:
            missing.append(msgid)
    return missing


def _continues(lines, line):
    i = lines.index(line)
    return i + 1 < len(lines) and lines[i + 1].startswith('"')


def _strings(lines, key):
    out, inside = [], False
    for ln in lines:
        if ln.startswith(key + " "):
            inside = True
            out.append(ln[len(key) + 1 :].strip('"'))
        elif inside and ln.startswith('"'):
            out.append(ln.strip('"'))
        else:
            inside = False if not ln.startswith('"') else inside
    return out


def test_the_persian_catalogue_has_no_untranslated_string():
    assert PO.exists()
    missing = untranslated(PO.read_text(encoding="utf-8"))
    assert missing == [], f"{len(missing)} untranslated: {missing[:10]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """makemessages over a copy of the code finds nothing new to translate."""
    copy = tmp_path / "ronagh"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "fa",
            "--no-obsolete",
            "--no-location",
            "-i",
            "migrations/*",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "ronagh.settings",
            "RONAGH_TESTING": "1",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(SRC.parent),
        },
    )
    missing = untranslated(
        (copy / "locale" / "fa" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    )
    assert missing == [], f"{len(missing)} strings need a Persian translation: {missing[:10]}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")
def test_the_catalogue_compiles():
    """msgfmt accepts the catalogue (a stray `#|` line from a merge breaks compilemessages, and
    the site would fall back to English)."""
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(PO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
