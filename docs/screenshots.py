"""Screenshots for the README, taken from the demo in headless Chromium, and the Bale
conversation of a focal point, played against the tests' fake Bale server.

make screenshots      (builds a demo in a scratch directory, serves it, logs in, shoots)
"""

import html
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))  # the fake Bale server lives with the tests

from tests.bale.fake_server import TOKEN, Server  # noqa: E402

BIN = Path(sys.executable).parent
PORT = os.environ.get("RONAGH_SCREENSHOT_PORT", "8765")
URL = f"http://127.0.0.1:{PORT}"
CHAT = 9001
FA = str.maketrans("۰۱۲۳۴۵۶۷۸۹٫", "0123456789.")


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


def governor_page(browser, scratch: Path) -> None:
    """The governor's landing page, on screen and on paper (the browser's A4 print, its first
    page as a picture by pdftoppm, from Debian's poppler-utils)."""
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    login(page, "ostandar")
    page.goto(f"{URL}/")
    page.wait_for_timeout(1500)
    page.screenshot(path=DOCS / "governor.png", full_page=True)
    pdf = scratch / "governor.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "90", "-singlefile", pdf, DOCS / "governor-print"], check=True
    )


def report_screen(browser) -> None:
    """The focal point's screen on a phone: as it opens, filtered and marked unchanged, a
    decrease offered as a correction, the obstacle form; then the manager's queue."""
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="fa-IR")
    page = phone.new_page()
    login(page, "rabet-sanat")
    page.wait_for_timeout(800)
    page.screenshot(path=DOCS / "daily-report.png")
    page.click("label[for=report-lead]")
    page.click("label[for=report-unreported]")
    page.once("dialog", lambda d: d.accept())
    page.click("[data-all-unchanged]")
    page.wait_for_timeout(300)
    page.screenshot(path=DOCS / "daily-report-unchanged.png")
    page.goto(f"{URL}/report/")
    row = page.locator("tr.report-row", has=page.locator("input[data-last]:not([data-last='0'])"))
    row = row.first
    row.locator("input[data-percent]").fill("۱")
    row.locator("textarea[data-reason]").fill("درصد دیروز اشتباه وارد شده بود")
    row.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=DOCS / "daily-report-correction.png")
    page.once("dialog", lambda d: d.accept())  # leaving with a typed value: the page asks
    row.locator("a[data-keeps-draft]").click()
    page.wait_for_load_state("networkidle")
    page.fill("#id_title", "تأخیر بانک در پرداخت تسهیلات سرمایه در گردش")
    page.check("input[name=category][value=banking]", force=True)
    page.screenshot(path=DOCS / "daily-report-obstacle.png")
    manager = browser.new_context(viewport={"width": 390, "height": 844}, locale="fa-IR")
    page = manager.new_page()
    login(page, "modir-sanat")
    page.goto(f"{URL}/corrections/")
    page.wait_for_timeout(300)
    page.screenshot(path=DOCS / "corrections-queue.png")


def poll(env) -> None:
    subprocess.run([BIN / "ronagh", "bale-poll", "--once"], env=env, check=True)


def bale_conversation(browser, fake, env) -> None:
    """Link a chat from the profile page, ask for the list, report in one message."""
    fake.push_text("سلام", chat_id=CHAT, name="زهرا")
    poll(env)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="fa-IR")
    page = phone.new_page()
    login(page, "rabet-sanat")
    page.goto(f"{URL}/me/")
    page.click("button[name=link]")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=DOCS / "profile-bale-code.png")
    code = page.locator("code.user-select-all").inner_text().split()[-1]
    fake.push_text(f"/start {code}", chat_id=CHAT, name="زهرا")
    poll(env)
    fake.push_text("فهرست", chat_id=CHAT, name="زهرا")
    poll(env)
    listing = fake.to(CHAT)[-1].text
    rows = re.findall(r"^▫️ (\S+) — .*\(آخرین گزارش ([۰-۹٫]+)٪ در", listing, re.M)
    (a, a_last), (b, _b_last), (c, c_last) = rows[:3]
    up = min(100.0, float(a_last.translate(FA)) + 2.5)
    down = max(0.0, float(c_last.translate(FA)) - 1)
    lines = [
        f"{a} {up:g}".translate(str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫")) + "٪ بازدید انجام شد",
        f"{b} =",
        "ZZ-99 10",
        f"{c} {down:g}",
    ]
    fake.push_text("\n".join(lines), chat_id=CHAT, name="زهرا")
    poll(env)
    transcript(browser, fake)


def transcript(browser, fake) -> None:
    bubbles, text = [], ["# A focal point's conversation with Ronagh's Bale bot", ""]
    for entry in fake.log:
        side, chat, message = entry[0], entry[1], entry[2]
        buttons = entry[3] if len(entry) > 3 else []
        who = "رابط" if side == "in" else "ربات رونق"
        keys = "".join(f"<span class='key'>{html.escape(b)}</span>" for b in buttons)
        bubbles.append(
            f"<div class='msg {side}'><div class='who'>{who}</div>"
            f"<div class='text'>{html.escape(message)}</div>"
            + (f"<div class='keys'>{keys}</div>" if keys else "")
            + "</div>"
        )
        quoted = "\n".join("> " + line for line in message.splitlines())
        text += [f"**{'focal point' if side == 'in' else 'bot'}** (chat {chat}):", "", quoted, ""]
        if buttons:
            text += ["Keyboard: " + " · ".join(f"`{b}`" for b in buttons), ""]
    font = ROOT / "node_modules" / "vazirmatn" / "Vazirmatn-font-face.css"
    page_html = f"""<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8">
<link rel="stylesheet" href="{font.as_uri()}"><style>
body {{ font-family: Vazirmatn, sans-serif; background: #e8eef3; margin: 0; padding: 12px; }}
h1 {{ font-size: 16px; color: #38506b; margin: 0 0 10px; }}
.msg {{ max-width: 82%; margin: 8px 0; padding: 8px 12px; border-radius: 14px;
  white-space: pre-wrap; font-size: 14px; line-height: 1.7; box-shadow: 0 1px 1px rgba(0,0,0,.1); }}
.text {{ unicode-bidi: plaintext; text-align: start; }}
.in {{ background: #d7f5d0; margin-inline-start: auto; border-end-start-radius: 4px; }}
.out {{ background: #fff; margin-inline-end: auto; border-end-end-radius: 4px; }}
.who {{ font-size: 11px; color: #5a7; font-weight: bold; }} .out .who {{ color: #37a; }}
.keys {{ display: flex; flex-wrap: wrap; gap: 4px; margin-top: 6px; }}
.key {{ background: #eef3f8; border: 1px solid #c9d6e3; border-radius: 8px; padding: 2px 8px;
  font-size: 12px; }}
</style></head><body><h1>گفتگوی کارشناس رابط با ربات رونق در بله</h1>{"".join(bubbles)}</body></html>"""
    path = DOCS / "bale-conversation.html"
    path.write_text(page_html, encoding="utf-8")
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(path.as_uri())
    page.wait_for_timeout(500)
    page.screenshot(path=DOCS / "bale-conversation.png", full_page=True)
    path.unlink()
    (DOCS / "bale-conversation.md").write_text("\n".join(text), encoding="utf-8")


def main() -> None:
    data = tempfile.mkdtemp(prefix="ronagh-shots-", dir=os.environ.get("RONAGH_SCREENSHOT_DIR"))
    with Server() as bale:
        env = {
            **os.environ,
            "RONAGH_DATA_DIR": data,
            "DEBUG": "1",
            "DATABASE_URL": "",
            "RONAGH_BALE_API": bale.url,
            "RONAGH_BALE_TOKEN": TOKEN,
        }
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
                governor_page(browser, Path(data))
                report_screen(browser)
                bale_conversation(browser, bale.fake, env)
                browser.close()
        finally:
            server.terminate()
            server.wait()
    print(
        "docs/plan-dashboard.png, docs/governor.png, docs/governor-print.png, docs/error-404.png, "
        "docs/daily-report*.png, docs/corrections-queue.png, "
        "docs/profile-bale-code.png, docs/bale-conversation.png, docs/bale-conversation.md"
    )


if __name__ == "__main__":
    main()
