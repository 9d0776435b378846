"""A local stand-in for Bale's bot API (Telegram-shaped), for the tests and the docs' transcript:
`{url}/bot{token}/getUpdates`, `sendMessage`, `setWebhook`, `deleteWebhook`. No network.

The server keeps a queue of updates the tests push (`push_text`), hands out those from `offset`
on and forgets the confirmed ones (as Bale does), records every sendMessage in `sent`, and can be
told to drop connections (`drop_next`) or to answer an error (`refuse_next`)."""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

TOKEN = "123456:test-token"


@dataclass
class Sent:
    chat_id: int
    text: str
    reply_markup: dict | None = None

    @property
    def buttons(self) -> list[str]:
        rows = (self.reply_markup or {}).get("keyboard") or []
        texts = [b["text"] if isinstance(b, dict) else b for row in rows for b in row]
        return [t.strip("\u200e\u200f") for t in texts]  # as a person reads them


@dataclass
class FakeBale:
    token: str = TOKEN
    updates: list[dict] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    calls: list[tuple[str, dict]] = field(default_factory=list)
    # The conversation in order: ("in", chat, text) pushed by the tests, ("out", chat, text,
    # buttons) sent by the bot.
    log: list[tuple] = field(default_factory=list)
    webhook: str = ""
    honour_offset: bool = True  # False: hand every update out again (a confirm that was lost)
    drop: int = 0  # the next N calls lose their connection
    refuse: int = 0  # the next N sendMessage calls answer 500
    get_only: bool = False  # answer POST with 501, as a server with only do_GET does
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1001))
    _messages: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- what the tests do ---------------------------------------------------------------------
    def push(self, update: dict) -> dict:
        with self._lock:
            self.updates.append(update)
            message = update.get("message") or {}
            self.log.append(("in", (message.get("chat") or {}).get("id"), message.get("text", "")))
        return update

    def push_text(self, text: str, *, chat_id: int = 555, name: str = "زهرا", date=None) -> dict:
        update_id = next(self._ids)
        return self.push(
            {
                "update_id": update_id,
                "message": {
                    "message_id": update_id,
                    "from": {"id": chat_id, "is_bot": False, "first_name": name},
                    "chat": {"id": chat_id, "type": "private", "first_name": name},
                    "date": int(time.time()) if date is None else date,
                    "text": text,
                },
            }
        )

    def tap(self, button: str, *, chat_id: int = 555) -> dict:
        """A tap on a reply-keyboard button: its own text (with its direction mark) comes back."""
        last = [m for m in self.sent if m.chat_id == chat_id][-1]
        rows = (last.reply_markup or {}).get("keyboard") or []
        raw = next(
            b["text"] for row in rows for b in row if b["text"].strip("\u200e\u200f") == button
        )
        return self.push_text(raw, chat_id=chat_id)

    def to(self, chat_id: int) -> list[Sent]:
        return [m for m in self.sent if m.chat_id == chat_id]

    # --- the API -------------------------------------------------------------------------------
    def handle(self, method: str, params: dict) -> tuple[int, dict]:
        self.calls.append((method, params))
        if method == "getUpdates":
            offset = params.get("offset")
            with self._lock:
                if offset is not None and self.honour_offset:
                    self.updates = [u for u in self.updates if u["update_id"] >= int(offset)]
                waiting = [
                    u
                    for u in self.updates
                    if offset is None or u["update_id"] >= int(offset) or not self.honour_offset
                ]
                limit = int(params.get("limit") or 100)
            return 200, {"ok": True, "result": waiting[:limit]}
        if method == "sendMessage":
            if self.refuse:
                self.refuse -= 1
                return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}
            if not params.get("text"):
                return 400, {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: text is empty",
                }
            markup = params.get("reply_markup")
            if isinstance(markup, str):
                markup = json.loads(markup)
            sent = Sent(int(params["chat_id"]), params["text"], markup)
            self.sent.append(sent)
            self.log.append(("out", sent.chat_id, sent.text, sent.buttons))
            return 200, {
                "ok": True,
                "result": {
                    "message_id": next(self._messages),
                    "chat": {"id": int(params["chat_id"])},
                    "text": params["text"],
                },
            }
        if method == "setWebhook":
            self.webhook = params.get("url", "")
            return 200, {"ok": True, "result": True}
        if method == "deleteWebhook":
            self.webhook = ""
            return 200, {"ok": True, "result": True}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}


def _handler(fake: FakeBale):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _answer(self, params: dict):
            path = urlparse(self.path).path
            prefix = f"/bot{fake.token}/"
            if not path.startswith(prefix):
                status, body = 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            elif fake.drop:
                fake.drop -= 1
                self.close_connection = True
                self.connection.close()  # the phone lost its signal, so to speak
                return
            else:
                status, body = fake.handle(path[len(prefix) :], params)
            raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self):
            query = {k: v[-1] for k, v in parse_qs(urlparse(self.path).query).items()}
            self._answer(query)

        def do_POST(self):
            if fake.get_only:
                self.send_error(501, "Unsupported method ('POST')")
                return
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b"{}"
            try:
                params = json.loads(raw.decode("utf-8") or "{}")
            except ValueError:
                params = {k: v[-1] for k, v in parse_qs(raw.decode("utf-8")).items()}
            self._answer(params)

    return Handler


class Server:
    """The fake on a free local port, in a thread; `url` is what RONAGH_BALE_API takes."""

    def __init__(self, fake: FakeBale | None = None):
        self.fake = fake or FakeBale()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.fake))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
