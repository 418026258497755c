"""Malformed and random HTTP sent to the recorder gets a 400 or a closed connection, never a crash."""
import random
import socket
import urllib.parse

import httpx


def send(url, payload):
    u = urllib.parse.urlparse(url)
    with socket.create_connection((u.hostname, u.port), timeout=5) as s:
        s.sendall(payload)
        try:
            return s.recv(4096)
        except (ConnectionResetError, socket.timeout):
            return b""


def test_malformed_requests_get_400_and_the_recorder_keeps_serving(recorder, upstream):
    bad = [b"GARBAGE\r\n\r\n",
           b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
           b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
           b"GET /\x00 HTTP/1.1\r\n\r\n"]
    for payload in bad:
        assert send(recorder.url, payload).startswith(b"HTTP/1.1 400 Bad Request\r\n")
    rng = random.Random(20261126)
    for _ in range(30):
        reply = send(recorder.url, bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 4000))))
        assert reply == b"" or reply.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert recorder.proc.poll() is None
    r = httpx.post(recorder.url + "/v1/chat/completions", json={"model": "m", "stream": True, "messages": []}, timeout=10)
    assert r.status_code == 200
    assert r.text.endswith("data: [DONE]\n\n")
