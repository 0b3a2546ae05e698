"""A stand-in for the province's 政务服务 platform: the receiving end of the exchange's interface, for
the tests and the demo. A WSGI app (`StandInProvince`), served in a thread by `serve` (wsgiref).

It does what a receiver written against the interface must do: it checks the signature
(X-Linju-Signature, HMAC-SHA256 of the raw body with the key; 401 otherwise), that Idempotency-Key
is the body's message_id (400), and the body against the schema kept in the repo
(schema/province.json; 422 with the validator's words otherwise); it keeps the first copy of each
Idempotency-Key and answers every later copy 200 "duplicate", so a message sent twice counts once.

It can be told to misbehave, per request, at random with a seed or always:
- `fail`: answer 503 without keeping the message;
- `stall`: keep the message, then answer only after `stall_seconds` (longer than the sender waits:
  the sender sees no answer and sends it again);
- `twice`: keep the message and answer 503 as if the answer were lost, so it arrives a second time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import threading
import time
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jsonschema_rs

SCHEMA_PATH = Path(__file__).parent / "schema" / "province.json"


def province_validator():
    return jsonschema_rs.validator_for(json.loads(SCHEMA_PATH.read_text()))


class StandInProvince:
    def __init__(self, key: str, *, seed: int = 0):
        self.key = key.encode()
        self.validator = province_validator()
        self.lock = threading.Lock()
        self.random = random.Random(seed)
        self.reset()

    def reset(self) -> None:
        self.received: dict[str, dict] = {}  # Idempotency-Key -> the body kept (first copy)
        self.copies: dict[str, int] = {}  # Idempotency-Key -> how many valid copies came
        self.requests = 0
        self.refused: list[tuple[int, str]] = []
        self.mode = ""  # "", "fail", "stall" or "twice"
        self.rate = 1.0  # the share of requests the mode applies to (drawn with the seed)
        self.stall_seconds = 0.0

    def misbehave(self, mode: str, *, rate: float = 1.0, stall_seconds: float = 0.0) -> None:
        if mode not in {"", "fail", "stall", "twice"}:
            raise ValueError(mode)
        self.mode, self.rate, self.stall_seconds = mode, rate, stall_seconds

    def _answer(self, start_response, status: str, body: dict):
        data = json.dumps(body, ensure_ascii=False).encode()
        start_response(status, [("Content-Type", "application/json; charset=utf-8")])
        return [data]

    def _refuse(self, start_response, code: int, status: str, reason: str):
        with self.lock:
            self.refused.append((code, reason))
        return self._answer(start_response, status, {"error": reason})

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        key = environ.get("HTTP_IDEMPOTENCY_KEY", "")
        given = environ.get("HTTP_X_LINJU_SIGNATURE", "")
        with self.lock:
            self.requests += 1
            misbehave = self.mode if self.mode and self.random.random() < self.rate else ""
        if environ["REQUEST_METHOD"] != "POST":
            return self._refuse(start_response, 405, "405 Method Not Allowed", "POST only")
        expected = hmac.new(self.key, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, given):
            return self._refuse(
                start_response, 401, "401 Unauthorized", "签名不符 the signature does not match"
            )
        if misbehave == "fail":
            return self._answer(start_response, "503 Service Unavailable", {"error": "busy"})
        try:
            payload = json.loads(body)
        except ValueError:
            return self._refuse(start_response, 400, "400 Bad Request", "not JSON")
        if not isinstance(payload, dict) or payload.get("message_id") != key:
            return self._refuse(
                start_response, 400, "400 Bad Request", "Idempotency-Key is not the message_id"
            )
        errors = [
            f"{'/'.join(map(str, e.instance_path)) or '(root)'}: {e.message}"
            for e in self.validator.iter_errors(payload)
        ]
        if errors:
            return self._refuse(start_response, 422, "422 Unprocessable Entity", "; ".join(errors)[:1000])
        with self.lock:
            first = key not in self.received
            self.received.setdefault(key, payload)
            self.copies[key] = self.copies.get(key, 0) + 1
        if misbehave == "stall":
            time.sleep(self.stall_seconds)
        if misbehave == "twice":
            return self._answer(start_response, "503 Service Unavailable", {"error": "answer lost"})
        return self._answer(start_response, "200 OK", {"received": key, "duplicate": not first})


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _ThreadingServer(WSGIServer):
    """One thread per request, so a stalled answer does not hold the next request."""

    daemon_threads = True

    def process_request(self, request, client_address):
        thread = threading.Thread(target=self._handle, args=(request, client_address), daemon=True)
        thread.start()

    def _handle(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


def serve(app: StandInProvince, port: int = 0):
    """Serve the stand-in on 127.0.0.1 in a thread; returns (server, url). `server.shutdown()` stops it."""
    server = make_server("127.0.0.1", port, app, server_class=_ThreadingServer, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/cases"
