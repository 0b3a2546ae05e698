"""The HTTPS transport (urllib) tells a gateway never reached, which may be asked again, from one
that took the request and did not answer, which may not (the text may have gone). Against a local
HTTP server."""

import http.server
import socket
import threading

import pytest

from linju.notify.aliyun import https_transport
from linju.notify.sms import GatewayError


class Gateway(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/busy":
            self.send_response(503)
            self.end_headers()
            self.wfile.write(b"busy")
            return
        if self.path == "/silent":
            threading.Event().wait(0.5)  # longer than the caller waits
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"Code":"OK","BizId":"1^0","echo":"' + body[:20] + b'"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_the_answer_and_an_http_error_come_back_as_status_and_body(server):
    status, body = https_transport(f"{server}/", b"Action=SendSms", 2)
    assert status == 200 and b'"echo":"Action=SendSms"' in body
    assert https_transport(f"{server}/busy", b"x", 2) == (503, b"busy")


def test_a_gateway_not_listening_may_be_asked_again():
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    with pytest.raises(GatewayError) as refused:
        https_transport(f"http://127.0.0.1:{port}/", b"x", 1)
    assert refused.value.retry and refused.value.code == "unreachable"


def test_no_answer_after_the_request_went_may_not_be_asked_again(server):
    with pytest.raises(GatewayError) as silent:
        https_transport(f"{server}/silent", b"x", 0.1)
    assert not silent.value.retry and silent.value.code == "timeout"
