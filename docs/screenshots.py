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
    print("docs/plan-dashboard.png, docs/daily-report.png")


if __name__ == "__main__":
    main()
