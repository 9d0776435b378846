"""Screenshots for the README, taken from the demo in headless Chromium.

make screenshots      (builds a demo in a scratch directory, serves it, logs in, shoots)
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PORT = os.environ.get("RONAGH_SCREENSHOT_PORT", "8765")
URL = f"http://127.0.0.1:{PORT}"


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the demo server did not answer on {url}")


def login(page, username: str) -> None:
    page.goto(f"{URL}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "ronagh-1405")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def main() -> None:
    data = tempfile.mkdtemp(prefix="ronagh-shots-")
    env = {**os.environ, "RONAGH_DATA_DIR": data, "DEBUG": "1", "DATABASE_URL": ""}
    subprocess.run([BIN / "ronagh", "demo", "--no-serve"], env=env, check=True)
    server = subprocess.Popen(
        [BIN / "ronagh", "manage", "runserver", f"127.0.0.1:{PORT}", "--noreload"], env=env
    )
    try:
        wait_for(f"{URL}/login/")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--headless", "--disable-gpu"],
            )
            desk = browser.new_context(viewport={"width": 1366, "height": 900})
            page = desk.new_page()
            login(page, "dabir")
            page.goto(f"{URL}/plans/current/")
            page.wait_for_timeout(1500)
            page.screenshot(path=DOCS / "plan-dashboard.png", full_page=False)
            page.goto(f"{URL}/no/such/page/")
            page.screenshot(path=DOCS / "error-404.png", full_page=False)
            governor = browser.new_context(viewport={"width": 1366, "height": 900})
            page = governor.new_page()
            login(page, "ostandar")
            page.goto(f"{URL}/")  # the governor's landing page
            page.wait_for_timeout(1500)
            page.screenshot(path=DOCS / "governor.png", full_page=True)
            # On paper: the browser's print of the page (A4), its first page as a picture
            # (pdftoppm, from Debian's poppler-utils).
            pdf = Path(data) / "governor.pdf"
            page.emulate_media(media="print")
            page.pdf(path=str(pdf), format="A4")
            subprocess.run(
                ["pdftoppm", "-png", "-r", "90", "-singlefile", pdf, DOCS / "governor-print"],
                check=True,
            )
            phone = browser.new_context(viewport={"width": 390, "height": 844})
            page = phone.new_page()
            login(page, "rabet-sanat")
            page.goto(f"{URL}/report/")
            page.wait_for_timeout(800)
            page.screenshot(path=DOCS / "daily-report.png", full_page=False)
            browser.close()
    finally:
        server.terminate()
        server.wait()
    print(
        "docs/plan-dashboard.png, docs/governor.png, docs/governor-print.png, "
        "docs/error-404.png, docs/daily-report.png"
    )


if __name__ == "__main__":
    main()
