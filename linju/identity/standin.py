"""Stand-ins for the card reader service and the e-card platform, for the demo and the tests. Each
is the receiving end of its interface (a WSGI app, served in a thread by `serve`, against which the
real adapters are tested) and a verifier that asks the same logic in the process, as `make run`
does. Both answer what the real ones answer — valid, expired, not this person — and can be made
unreachable or slow:

- the terminal's name says how the device behaves: ending in `-down`, nothing answers (unreachable
  at once); in `-slow`, the answer comes after the adapters stop waiting (unreachable, after
  LINJU_IDENTITY_TIMEOUT); every answer takes LINJU_IDENTITY_STANDIN_DELAY seconds (a real reader
  and platform take a moment too);
- the stand-in reader has on it the card of the person being identified (the person puts their own
  card on it), valid for ten more years; a terminal ending in `-expired` holds it expired last
  month, one ending in `-other` holds someone else's card;
- the stand-in platform knows the codes it issued: `DEMO-ECARD:<ID number>` (a fresh code) and
  `DEMO-ECARD:<ID number>:expired`; any other code, or another person's, is not this person's.
"""

from __future__ import annotations

import datetime
import json
import socketserver
import threading
import time
import urllib.parse
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.conf import settings
from django.utils import timezone

from linju.people.idnumbers import normalize

from .models import Result
from .verifiers import KIND_OF, Answer, Card, Check, card_answer

OTHER_PERSON = Card("id_card", "王某某", "110101199003070011", None)


def _wait(terminal: str) -> bool:
    """Waits as the device would; False when it would never answer in time (or not at all)."""
    if terminal.endswith("-down"):
        return False
    if terminal.endswith("-slow"):
        time.sleep(float(getattr(settings, "LINJU_IDENTITY_TIMEOUT", 3)))
        return False
    time.sleep(float(getattr(settings, "LINJU_IDENTITY_STANDIN_DELAY", 0)))
    return True


def card_on_reader(kind: str, terminal: str, name: str, id_number: str, today: datetime.date) -> Card:
    """The card a stand-in reader holds for the person who stands at it."""
    if terminal.endswith("-other"):
        return Card(kind, OTHER_PERSON.name, OTHER_PERSON.id_number, None)
    if terminal.endswith("-expired"):
        return Card(kind, name, id_number, today - datetime.timedelta(days=30))
    return Card(kind, name, id_number, today.replace(year=today.year + 10))


def ecard_result(qr: str, id_number: str) -> str:
    """The stand-in platform's verdict on a code for a person: "valid", "expired" or "mismatch"."""
    prefix, _sep, rest = qr.strip().partition(":")
    number, _sep, state = rest.partition(":")
    if prefix != "DEMO-ECARD" or normalize(number) != normalize(id_number):
        return "mismatch"
    return "expired" if state == "expired" else "valid"


class StandInCardReader:
    """The card reader in the process (the demo's): the person's own card, read after a moment."""

    def verify(self, check: Check) -> Answer:
        if not _wait(check.terminal):
            return Answer(Result.UNREACHABLE)
        today = timezone.localdate()
        card = card_on_reader(KIND_OF[check.method], check.terminal, check.name, check.id_number, today)
        return card_answer(card, check, today)


class StandInECardPlatform:
    """The e-card platform in the process (the demo's)."""

    def verify(self, check: Check) -> Answer:
        if not _wait(check.terminal):
            return Answer(Result.UNREACHABLE)
        return Answer(Result(ecard_result(check.qr, check.id_number)))


class ReaderServiceApp:
    """The reader service's interface as a WSGI app: cards are put on a terminal's reader with
    `put(terminal, card)` (None takes it off); `GET /read?kind=…&terminal=…` answers it."""

    def __init__(self) -> None:
        self.cards: dict[str, Card | None] = {}
        self.requests = 0

    def put(self, terminal: str, card: Card | None) -> None:
        self.cards[terminal] = card

    def __call__(self, environ, start_response):
        self.requests += 1
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        terminal = (query.get("terminal") or [""])[0]
        kind = (query.get("kind") or [""])[0]
        if environ["PATH_INFO"] != "/read" or kind not in ("id_card", "social_card"):
            return _json(start_response, "400 Bad Request", {"error": "bad_request"})
        if terminal.endswith("-slow"):
            time.sleep(float(getattr(settings, "LINJU_IDENTITY_TIMEOUT", 3)) + 0.5)
        card = self.cards.get(terminal)
        if card is None or card.kind != kind:
            return _json(start_response, "404 Not Found", {"card": False})
        return _json(
            start_response,
            "200 OK",
            {
                "kind": card.kind,
                "name": card.name,
                "id_number": card.id_number,
                "valid_until": card.valid_until.isoformat() if card.valid_until else "长期",
            },
        )


class ECardPlatformApp:
    """The platform's verification call as a WSGI app: `POST /verify` with `X-App-Key`; 401 for
    another key, 503 while `down` is set."""

    def __init__(self, app_key: str) -> None:
        self.app_key = app_key
        self.down = False
        self.bodies: list[dict] = []

    def __call__(self, environ, start_response):
        if environ["PATH_INFO"] != "/verify" or environ["REQUEST_METHOD"] != "POST":
            return _json(start_response, "404 Not Found", {"error": "not_found"})
        if environ.get("HTTP_X_APP_KEY") != self.app_key:
            return _json(start_response, "401 Unauthorized", {"error": "app_key"})
        if self.down:
            return _json(start_response, "503 Service Unavailable", {"error": "down"})
        size = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.loads(environ["wsgi.input"].read(size))
        self.bodies.append(body)
        if str(body.get("terminal", "")).endswith("-slow"):
            time.sleep(float(getattr(settings, "LINJU_IDENTITY_TIMEOUT", 3)) + 0.5)
        return _json(start_response, "200 OK", {"result": ecard_result(body["qr"], body["id_number"])})


def _json(start_response, status: str, data: dict):
    body = json.dumps(data, ensure_ascii=False).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _ThreadedServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


def serve(app) -> tuple[str, WSGIServer]:
    """Serve the app on a free port of 127.0.0.1 in a thread: (its base URL, the server to shut down)."""
    server = make_server("127.0.0.1", 0, app, server_class=_ThreadedServer, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server
