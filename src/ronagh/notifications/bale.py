"""The Bale (بله) messenger's bot API, through a small adapter of ours (SPEC 4.2.1).

Bale's bot API has Telegram's shape: `POST {RONAGH_BALE_API}/bot{RONAGH_BALE_TOKEN}/{method}`
with a JSON body, answered by `{"ok": true, "result": …}` or `{"ok": false, "error_code": …,
"description": "…"}`. We use four methods: getUpdates (long polling), sendMessage (with a reply
keyboard), setWebhook and deleteWebhook. The Bale packages on PyPI are young, asynchronous
frameworks around the same four calls; a few lines of `urllib` keep the dependency list short
and the behaviour ours (and no token ever appears in an error message or a log line).

`client()` builds the adapter from the settings; tests point RONAGH_BALE_API at a fake server.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

MAX_TEXT = 4096  # characters in one message, as Telegram and Bale take them
HTTP_TIMEOUT = 15.0  # seconds for an ordinary call; long polls add their own wait


class BaleError(Exception):
    """Bale refused the call or could not be reached; the text says why, without the token."""

    def __init__(self, message: str, *, code: int | None = None):
        super().__init__(message)
        self.code = code


def keyboard(rows: list[list[str]]) -> dict:
    """A reply keyboard: rows of buttons, each sending its own text when tapped."""
    return {
        "keyboard": [[{"text": text} for text in row] for row in rows if row],
        "resize_keyboard": True,
    }


def fit(text: str) -> str:
    """A text cut to what one message carries."""
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


@dataclass
class BaleClient:
    api: str
    token: str
    timeout: float = HTTP_TIMEOUT
    # Bale takes POST with a JSON body; a server that answers 405/501 to POST (a proxy, a
    # minimal stand-in) gets the same call as GET with the parameters in the query string.
    use_get: bool = False

    @property
    def configured(self) -> bool:
        return bool(self.token and self.api)

    def call(self, method: str, *, wait: float = 0, **params):
        """One API call; returns its `result`. BaleError on a refusal or a network failure."""
        if not self.configured:
            raise BaleError(_("The Bale bot is not configured (RONAGH_BALE_TOKEN)."))
        url = f"{self.api.rstrip('/')}/bot{self.token}/{method}"
        params = {k: v for k, v in params.items() if v is not None}
        try:
            payload = self._send(url, params, wait)
        except urllib.error.HTTPError as exc:
            if exc.code in (405, 501) and not self.use_get:
                self.use_get = True
                return self.call(method, wait=wait, **params)
            reply = _json(exc.read())
            raise BaleError(_refusal(method, reply, exc.code), code=exc.code) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise BaleError(
                _("Bale could not be reached (%(method)s): %(reason)s")
                % {"method": method, "reason": reason}
            ) from None
        reply = _json(payload)
        if reply is None:
            raise BaleError(
                _("Bale gave an answer that is not JSON (%(method)s).") % {"method": method}
            )
        if not reply.get("ok"):
            raise BaleError(
                _refusal(method, reply, reply.get("error_code")), code=reply.get("error_code")
            )
        return reply.get("result")

    def _send(self, url: str, params: dict, wait: float) -> bytes:
        if self.use_get:
            query = {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                for k, v in params.items()
            }
            request = urllib.request.Request(f"{url}?{urllib.parse.urlencode(query)}")
        else:
            request = urllib.request.Request(
                url,
                data=json.dumps(params).encode("utf-8"),
                headers={"Content-Type": "application/json; charset=utf-8"},
                method="POST",
            )
        with urllib.request.urlopen(request, timeout=self.timeout + wait) as response:  # noqa: S310
            return response.read()

    def get_updates(self, *, offset: int | None = None, wait: int = 0, limit: int = 100) -> list:
        """Waiting updates from `offset` on (which also confirms every earlier one to Bale);
        with `wait`, a long poll that returns as soon as one arrives or after `wait` seconds."""
        result = self.call("getUpdates", wait=wait, offset=offset, timeout=wait, limit=limit)
        return [u for u in (result or []) if isinstance(u, dict) and "update_id" in u]

    def send_message(self, chat_id: int, text: str, *, reply_markup: dict | None = None) -> str:
        """Send a text (cut to one message) to a chat; returns the message id."""
        result = self.call(
            "sendMessage", chat_id=chat_id, text=fit(text), reply_markup=reply_markup
        )
        return str((result or {}).get("message_id", "")) if isinstance(result, dict) else ""

    def set_webhook(self, url: str) -> None:
        self.call("setWebhook", url=url)

    def delete_webhook(self) -> None:
        self.call("deleteWebhook")


def client() -> BaleClient:
    """The adapter the settings describe."""
    return BaleClient(api=settings.RONAGH_BALE_API, token=settings.RONAGH_BALE_TOKEN)


def _json(raw: bytes) -> dict | None:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _refusal(method: str, reply: dict | None, code) -> str:
    return _("Bale refused %(method)s (%(code)s): %(description)s") % {
        "method": method,
        "code": code,
        "description": (reply or {}).get("description") or _("no reason given"),
    }
