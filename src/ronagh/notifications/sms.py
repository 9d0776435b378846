"""SMS through a small backend interface (settings.RONAGH_SMS["BACKEND"]):

- ConsoleBackend (the default) writes the message to stdout and the log: development, demos and
  sites with no gateway;
- MemoryBackend keeps the messages in `MemoryBackend.outbox`, like Django's locmem mail backend,
  for tests;
- KavenegarBackend sends through Kavenegar (kavenegar.com), the common Iranian gateway, with one
  HTTP POST to `{KAVENEGAR_URL}/{API_KEY}/sms/send.json`.

A backend's `send` returns the gateway's message id or raises SmsError with a message a person can
act on; services.notify records either in the delivery log.
"""

from __future__ import annotations

import abc
import itertools
import json
import logging
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import ClassVar

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The message was not accepted; the text says why (the gateway's own words when it gave
    some)."""


class SmsBackend(abc.ABC):
    """The interface: send one text to one mobile number."""

    @abc.abstractmethod
    def send(self, receptor: str, message: str) -> str:
        """Send `message` to `receptor` (digits only, e.g. 09121234567); return the message id.
        Raise SmsError when it was not accepted."""


class ConsoleBackend(SmsBackend):
    """Writes each message to a stream (stdout by default) and to the log; sends nothing."""

    _ids = itertools.count(1)

    def __init__(self, stream=None):
        self.stream = stream

    def send(self, receptor: str, message: str) -> str:
        message_id = f"console-{next(self._ids)}"
        stream = self.stream or sys.stdout
        stream.write(f"SMS {message_id} → {receptor}\n{message}\n{'-' * 40}\n")
        stream.flush()
        logger.info("SMS %s to %s: %s", message_id, receptor, message)
        return message_id


class MemoryBackend(SmsBackend):
    """Keeps every message in the class-wide `outbox` as (receptor, message); for tests."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, receptor: str, message: str) -> str:
        self.outbox.append((receptor, message))
        return f"memory-{len(self.outbox)}"


class KavenegarBackend(SmsBackend):
    """Kavenegar's `sms/send` web service: a form POST of receptor, message and sender; the reply
    is JSON, `{"return": {"status": 200, "message": "…"}, "entries": [{"messageid": …}]}`. Any
    other return status, an HTTP error or an unreachable gateway raises SmsError."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        sender: str | None = None,
        url: str | None = None,
        timeout: float | None = None,
    ):
        cfg = settings.RONAGH_SMS
        self.api_key = cfg.get("KAVENEGAR_API_KEY", "") if api_key is None else api_key
        self.sender = cfg.get("KAVENEGAR_SENDER", "") if sender is None else sender
        self.url = (cfg.get("KAVENEGAR_URL") if url is None else url) or ""
        self.timeout = float(cfg.get("TIMEOUT", 10) if timeout is None else timeout)

    def endpoint(self) -> str:
        return f"{self.url.rstrip('/')}/{urllib.parse.quote(self.api_key, safe='')}/sms/send.json"

    def send(self, receptor: str, message: str) -> str:
        if not self.api_key:
            raise SmsError(_("The Kavenegar API key is not set (KAVENEGAR_API_KEY)."))
        if not self.url.startswith(("https://", "http://")):
            raise SmsError(_("The Kavenegar address must start with https://."))
        fields = {"receptor": receptor, "message": message}
        if self.sender:
            fields["sender"] = self.sender
        request = urllib.request.Request(
            self.endpoint(),
            data=urllib.parse.urlencode(fields).encode("utf-8"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "Accept": "application/json",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                payload = response.read()
        except urllib.error.HTTPError as exc:
            # Kavenegar answers errors with an HTTP status and the same JSON body.
            body = exc.read()
            reply = _json(body)
            raise SmsError(_gateway_message(reply, exc.code)) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            # Never repeat the URL: it carries the API key.
            reason = getattr(exc, "reason", exc)
            raise SmsError(
                _("The SMS gateway could not be reached: %(reason)s") % {"reason": reason}
            ) from None
        reply = _json(payload)
        if reply is None:
            raise SmsError(_("The SMS gateway gave an answer that is not JSON."))
        status = (reply.get("return") or {}).get("status")
        if status != 200:
            raise SmsError(_gateway_message(reply, status))
        entries = reply.get("entries") or []
        if not entries or "messageid" not in entries[0]:
            raise SmsError(_("The SMS gateway accepted the message but gave no message id."))
        return str(entries[0]["messageid"])


def _json(raw: bytes) -> dict | None:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _gateway_message(reply: dict | None, status) -> str:
    message = ((reply or {}).get("return") or {}).get("message") or ""
    return _("The SMS gateway refused the message (status %(status)s): %(message)s") % {
        "status": status,
        "message": message or _("no reason given"),
    }


def get_backend() -> SmsBackend:
    """The backend settings.RONAGH_SMS["BACKEND"] names."""
    path = settings.RONAGH_SMS.get("BACKEND") or "ronagh.notifications.sms.ConsoleBackend"
    return import_string(path)()
