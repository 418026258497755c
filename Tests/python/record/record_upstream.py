"""A scripted fake LLM upstream for the recorder's end-to-end tests and benchmark.

Binds 127.0.0.1 on a free port, serves in background threads, and stops with the test. Routes:
  /v1/chat/completions, /v1/responses, /v1/messages, /v1beta/models/<m>:streamGenerateContent,
  /v1beta/models/<m>:generateContent  -> a corpus stream (or JSON when the body has no "stream": true)
  /late-end/v1/chat/completions      -> the chat stream to its [DONE], then after 1 s a comment and the end
                                         (what the openai SDK never waits for)
  /sse?file=NAME&chunk=N&delay_ms=D   -> a corpus file in N-byte chunks, D ms apart
                                         (&trace=T notes each write's time and bytes in traces[T])
  /reset?after=N                      -> a stream cut after N chunks (no last-chunk, socket closed)
  /stall?ms=M                         -> one event, a stall of M ms, one more event
  /status/<code>                      -> a JSON error with that status
  /cookie                             -> a JSON body with `set-cookie: session=<cookie_secret>`
  /echo                               -> the request line, headers and body as JSON
  /tick?n=N&interval_ms=I             -> N events, each carrying its send time (time.monotonic_ns)
  /flood?mb=M                         -> M MiB of SSE as fast as the socket takes it
"""
import json
import os
import socket
import ssl
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO / "Tests/StreamtapeCoreTests/Fixtures/real-streams"

CHAT_JSON = {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
             "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello from JSON."},
                          "finish_reason": "stop", "logprobs": None}],
             "usage": {"prompt_tokens": 1, "completion_tokens": 3, "total_tokens": 4}}


LATE_TAIL = b": the upstream's last read, after [DONE]\n\n"


def corpus(name):
    return (CORPUS / f"{name}.sse").read_bytes()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-upstream"

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self):
        self.route()

    def do_POST(self):
        self.route()

    def do_PUT(self):
        self.route()

    def do_DELETE(self):
        self.route()

    def route(self):
        length = int(self.headers.get("content-length") or 0)
        self.body = self.rfile.read(length) if length else b""
        self.server.requests.append({"method": self.command, "path": self.path,
                                     "headers": [[k, v] for k, v in self.headers.items()], "body": self.body})
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        path = url.path
        wants_stream = b'"stream": true' in self.body or b'"stream":true' in self.body
        if path == "/late-end/v1/chat/completions":
            return self.stream(corpus("01-openai-chat-text"), chunk=97, late_tail=LATE_TAIL)
        if path.startswith("/slow/") and path.endswith("/chat/completions"):
            # /slow/<ms>/v1/chat/completions: the chat stream in 97-byte chunks, <ms> apart (40 chunks).
            return self.stream(corpus("01-openai-chat-text"), chunk=97, delay=int(path.split("/")[2]) / 1000)
        if path.endswith("/chat/completions"):
            if wants_stream:
                return self.stream(corpus("01-openai-chat-text"), chunk=97)
            return self.json(200, CHAT_JSON)
        if path.endswith("/responses"):
            return self.stream(corpus("04-openai-responses-text"), chunk=211)
        if path.endswith("/messages"):
            return self.stream(corpus("11-anthropic-thinking-haiku"), chunk=64)
        if path.endswith(":streamGenerateContent"):
            return self.stream(corpus("14-gemini-text-crlf"), chunk=100)
        if path == "/sse":
            return self.stream(corpus(q["file"]), chunk=int(q.get("chunk", 64)), delay=float(q.get("delay_ms", 0)) / 1000,
                               trace=q.get("trace"))
        if path == "/reset" or path.startswith("/reset/"):
            return self.reset(int(q.get("after", 3)))
        if path == "/stall":
            return self.stall(int(q.get("ms", 300)))
        if path.startswith("/status/"):
            code = int(path.split("/")[2])
            return self.json(code, {"error": {"type": "fake_error", "message": f"status {code} as asked"}})
        if path == "/cookie":
            return self.json(200, {"ok": True}, extra=[("set-cookie", f"session={self.server.cookie_secret}; HttpOnly")])
        if path == "/echo":
            return self.json(200, {"method": self.command, "path": self.path,
                                   "headers": [[k, v] for k, v in self.headers.items()],
                                   "body": self.body.decode("utf-8", "replace")})
        if path == "/tick":
            return self.tick(int(q.get("n", 10)), float(q.get("interval_ms", 10)) / 1000)
        if path == "/flood":
            return self.flood(int(q.get("mb", 16)))
        return self.json(404, {"error": {"type": "not_found", "message": path}})

    def head(self, status=200, content_type="text/event-stream"):
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("transfer-encoding", "chunked")
        self.send_header("cache-control", "no-cache")
        self.end_headers()
        self.wfile.flush()

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def end(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def stream(self, data, chunk=64, delay=0.0, trace=None, late_tail=None):
        self.head()
        writes = self.server.traces.setdefault(trace, []) if trace else None
        for i in range(0, len(data), chunk):
            if writes is not None:
                writes.append((time.monotonic(), data[i:i + chunk]))
            self.chunk(data[i:i + chunk])
            if delay:
                time.sleep(delay)
        if late_tail is not None:
            time.sleep(1.0)
            self.chunk(late_tail)
        self.end()

    def json(self, status, obj, extra=()):
        data = json.dumps(obj).encode()
        self.send_response(status)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def reset(self, after):
        data = corpus("01-openai-chat-text")
        self.head()
        for i in range(after):
            self.chunk(data[i * 100:(i + 1) * 100])
        time.sleep(0.05)
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        self.close_connection = True
        self.connection.close()

    def stall(self, ms):
        self.head()
        self.chunk(b"data: first\n\n")
        time.sleep(ms / 1000)
        self.chunk(b"data: second\n\n")
        self.end()

    def tick(self, n, interval):
        self.head()
        start = time.monotonic()
        for i in range(n):
            target = start + i * interval
            now = time.monotonic()
            if target > now:
                time.sleep(target - now)
            self.chunk(b"data: {\"i\":%d,\"t\":%d}\n\n" % (i, time.monotonic_ns()))
        self.end()

    def flood(self, mb):
        self.head()
        line = b"data: " + b"x" * 1017 + b"\n\n"   # 1 KiB events
        block = line * 64
        try:
            for _ in range(mb * 16):
                self.chunk(block)
                self.server.flood_sent += len(block)
            self.end()
        except OSError:
            pass


class Server(ThreadingHTTPServer):
    """A threading HTTP server whose listen backlog takes a burst of connections (the default 5 makes a
    burst of 20 wait for SYN retransmits, a second or more)."""
    request_queue_size = 256


class FakeUpstream:
    """Starts on 127.0.0.1:0 (optionally TLS) and stops on close()."""

    def __init__(self, certfile=None, keyfile=None):
        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.requests = []
        self.httpd.flood_sent = 0
        self.httpd.traces = {}
        self.httpd.cookie_secret = "SETCOOKIE" + os.urandom(8).hex()
        self.scheme = "http"
        if certfile:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(certfile, keyfile)
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        host = "localhost" if self.scheme == "https" else "127.0.0.1"
        return f"{self.scheme}://{host}:{self.port}"

    @property
    def requests(self):
        return self.httpd.requests

    @property
    def cookie_secret(self):
        """The secret the upstream puts in `/cookie`'s Set-Cookie (random per upstream)."""
        return self.httpd.cookie_secret

    @property
    def traces(self):
        """Per `trace=` name: the (time.monotonic(), bytes) of each write of a /sse stream."""
        return self.httpd.traces

    @property
    def flood_sent(self):
        return self.httpd.flood_sent

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


if __name__ == "__main__":  # a stand-alone fake upstream for trying the recorder by hand
    up = FakeUpstream()
    print(up.url, flush=True)
    try:
        time.sleep(float(os.environ.get("FAKE_UPSTREAM_SECONDS", "60")))
    finally:
        up.close()
