"""The Kavenegar SMS adapter against a local fake gateway (127.0.0.1, never the internet)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from ronagh.notifications.sms import KavenegarBackend, SmsError, get_backend

OK = {
    "return": {"status": 200, "message": "تایید شد"},
    "entries": [{"messageid": 8792343, "status": 1, "receptor": "09121234567", "cost": 120}],
}


class FakeGateway:
    def __init__(self):
        self.requests = []
        self.http_status = 200
        self.reply: object = OK
        self.url = ""


@pytest.fixture
def gateway(monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    fake = FakeGateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
            fake.requests.append(
                {"path": self.path, "fields": parse_qs(body), "type": self.headers["Content-Type"]}
            )
            raw = fake.reply if isinstance(fake.reply, bytes) else json.dumps(fake.reply).encode()
            self.send_response(fake.http_status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_port}/v1"
    yield fake
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def backend(gateway, **kw):
    args = {"api_key": "SECRET-KEY", "sender": "10004346", "url": gateway.url, "timeout": 5}
    args.update(kw)
    return KavenegarBackend(**args)


def test_a_message_is_posted_to_the_send_service_and_its_id_returned(gateway):
    message_id = backend(gateway).send("09121234567", "گزارش دیروز فرستاده نشده است")

    assert message_id == "8792343"
    (request,) = gateway.requests
    assert request["path"] == "/v1/SECRET-KEY/sms/send.json"
    assert request["type"].startswith("application/x-www-form-urlencoded")
    assert request["fields"] == {
        "receptor": ["09121234567"],
        "message": ["گزارش دیروز فرستاده نشده است"],
        "sender": ["10004346"],
    }


def test_the_settings_choose_kavenegar(gateway, settings):
    settings.RONAGH_SMS = {
        "BACKEND": "ronagh.notifications.sms.KavenegarBackend",
        "KAVENEGAR_API_KEY": "K2",
        "KAVENEGAR_SENDER": "",
        "KAVENEGAR_URL": gateway.url + "/",
        "TIMEOUT": 5,
    }
    sms = get_backend()
    assert isinstance(sms, KavenegarBackend)
    sms.send("09121234567", "hi")
    assert gateway.requests[0]["path"] == "/v1/K2/sms/send.json"
    assert "sender" not in gateway.requests[0]["fields"]


def test_an_http_error_raises_the_gateways_own_message(gateway):
    gateway.http_status = 418
    gateway.reply = {
        "return": {"status": 418, "message": "اعتبار حساب شما کافی نیست"},
        "entries": None,
    }
    with pytest.raises(SmsError) as caught:
        backend(gateway).send("09121234567", "x")
    assert "اعتبار حساب شما کافی نیست" in str(caught.value)
    assert "418" in str(caught.value)
    assert "SECRET-KEY" not in str(caught.value)


def test_a_refusal_inside_a_200_answer_raises(gateway):
    gateway.reply = {"return": {"status": 411, "message": "receptor is not valid"}, "entries": []}
    with pytest.raises(SmsError, match="receptor is not valid"):
        backend(gateway).send("0912", "x")


def test_an_answer_that_is_not_json_raises(gateway):
    gateway.reply = b"<html>bad gateway</html>"
    with pytest.raises(SmsError, match="not JSON"):
        backend(gateway).send("09121234567", "x")


def test_an_unreachable_gateway_raises_without_showing_the_key(gateway):
    dead = "http://127.0.0.1:9/v1"  # the discard port: nothing listens
    with pytest.raises(SmsError) as caught:
        backend(gateway, url=dead, timeout=2).send("09121234567", "x")
    assert "could not be reached" in str(caught.value)
    assert "SECRET-KEY" not in str(caught.value)


def test_no_api_key_is_refused_before_any_request(gateway):
    with pytest.raises(SmsError, match="KAVENEGAR_API_KEY"):
        backend(gateway, api_key="").send("09121234567", "x")
    assert gateway.requests == []
