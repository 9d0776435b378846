"""The webhook (SPEC 4.2.1): for a bot with a public address, Bale POSTs each update to
`/bale/webhook/<secret>/`. The secret path is derived from the bot's token and the site's
SECRET_KEY, so nobody who does not hold both can post updates; the update goes through the same
inbox as the poller's (stored, processed once, answered)."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ronagh.notifications.bale import client

from . import inbox
from .models import Update

MAX_BODY = 1024 * 1024


def webhook_secret() -> str:
    """The secret part of the webhook's path ("" without a token: no webhook then)."""
    token = settings.RONAGH_BALE_TOKEN
    if not token:
        return ""
    return salted_hmac("ronagh.bale.webhook", token).hexdigest()[:40]


@csrf_exempt
@require_POST
def webhook(request, secret: str):
    expected = webhook_secret()
    if not expected or not constant_time_compare(secret, expected):
        raise Http404
    if len(request.body) > MAX_BODY:
        return HttpResponseBadRequest()
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return HttpResponseBadRequest()
    updates = payload if isinstance(payload, list) else [payload]
    counts = inbox.receive(
        [u for u in updates if isinstance(u, dict)], via=Update.Via.WEBHOOK, client=client()
    )
    return JsonResponse({"ok": True, "received": counts.received})
