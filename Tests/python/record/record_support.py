"""The recorder under test: `streamtape record --json` started on 127.0.0.1:0 (names unique to this folder)."""
import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

from record_upstream import REPO

BIN = Path(os.environ.get("STREAMTAPE_BIN", REPO / ".build/debug/streamtape"))


class Recorder:
    """`streamtape record --json` on 127.0.0.1:0; lines it prints are collected in a thread."""

    def __init__(self, *args, cwd, env=None):
        self.proc = subprocess.Popen([str(BIN), "record", "--listen", "127.0.0.1:0", "--json", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env=env)
        first = self.proc.stdout.readline()
        if not first:
            raise RuntimeError("recorder did not start: " + self.proc.stderr.read())
        self.startup = json.loads(first)
        self.url = self.startup["listen"]
        self.lines = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(json.loads(line))

    def exchanges(self, count, timeout=10):
        """The first `count` exchange log lines, waiting for them (bounded)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [l for l in self.lines if l.get("event") == "exchange"]
            if len(found) >= count:
                return found
            time.sleep(0.01)
        return [l for l in self.lines if l.get("event") == "exchange"]

    def stop(self, sig=signal.SIGINT, timeout=15):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.reader.join(timeout=5)
        return self.proc.returncode


def curl(url, *args):
    """`curl -sN` as a user would run it (bounded in time); returns the CompletedProcess."""
    return subprocess.run(["curl", "-sN", "--max-time", "20", *args, url], capture_output=True, timeout=30)


def st(*args, cwd=None, timeout=30):
    """`streamtape ARGS` (bounded in time); returns the CompletedProcess with bytes output."""
    return subprocess.run([str(BIN), *args], capture_output=True, timeout=timeout, cwd=cwd)


class ArchiveView:
    """Reads an archive the way a user does: `streamtape list --json` and `export ID --format tape|sse`."""

    def __init__(self, path):
        self.path = str(path)

    def run(self, *args):
        out = st(*args, "--archive", self.path)
        assert out.returncode == 0, f"streamtape {' '.join(args)}: exit {out.returncode}: {out.stderr.decode()}"
        return out.stdout

    def list(self):
        """The `list --json` rows, oldest first."""
        rows = [json.loads(l) for l in self.run("list", "--json").decode().splitlines() if l.strip()]
        return sorted(rows, key=lambda r: r["id"])

    def tape(self, id):
        """The tape of exchange `id` as (header, chunks [(t, bytes)], end line)."""
        import base64
        lines = [json.loads(l) for l in self.run("export", str(id), "--format", "tape").decode().splitlines()]
        chunks = [(l["t"], l["text"].encode() if "text" in l else base64.b64decode(l["b64"])) for l in lines[1:-1]]
        return lines[0], chunks, lines[-1]

    def body(self, id):
        """The archived response body (`export ID --format sse`)."""
        return self.run("export", str(id), "--format", "sse")


def fingerprint(secret):
    """What the recorder stores for a credential: `redacted:` and 8 hex digits of its SHA-256."""
    import hashlib
    return "redacted:" + hashlib.sha256(secret.encode()).hexdigest()[:8]


class StreamClient:
    """A raw HTTP/1.1 client on its own thread that notes when each piece of the response arrived."""

    def __init__(self, url, target, method="GET", headers=(), body=b"", read_limit=None, timeout=20):
        import socket
        host, port = url.split("//")[1].rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=timeout)
        head = f"{method} {target} HTTP/1.1\r\nHost: {host}\r\n"
        for k, v in headers:
            head += f"{k}: {v}\r\n"
        if body:
            head += f"content-length: {len(body)}\r\n"
        self.sock.sendall(head.encode() + b"\r\n" + body)
        self.received = []          # (time.monotonic(), raw bytes)
        self.read_limit = read_limit
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        total = 0
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    break
                self.received.append((time.monotonic(), data))
                total += len(data)
                if self.read_limit is not None and total >= self.read_limit:
                    break
        except OSError:
            pass

    def join(self, timeout=20):
        self.thread.join(timeout)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def raw(self, before=None):
        return b"".join(d for t, d in self.received if before is None or t <= before)

    def body(self, before=None):
        """The chunked body's complete chunks among the bytes that had arrived by `before` (monotonic)."""
        return decode_chunked(self.raw(before).split(b"\r\n\r\n", 1)[-1] if b"\r\n\r\n" in self.raw(before) else b"")


def decode_chunked(data):
    """The data of the complete chunks at the start of a chunked body (stops at the first incomplete one)."""
    out, i = bytearray(), 0
    while True:
        eol = data.find(b"\r\n", i)
        if eol < 0:
            break
        size = int(data[i:eol].split(b";")[0], 16)
        if size == 0 or eol + 2 + size + 2 > len(data):
            break
        out += data[eol + 2:eol + 2 + size]
        i = eol + 2 + size + 2
    return bytes(out)


def settled(view, count, timeout=10):
    """The `list --json` rows once `count` exchanges are there and none is still `recording` (bounded wait):
    the writer commits within 100 ms of the exchange's end, after the recorder has logged it."""
    deadline = time.time() + timeout
    while True:
        rows = view.list()
        if len(rows) >= count and all(r["state"] != "recording" for r in rows):
            return rows
        if time.time() > deadline:
            return rows
        time.sleep(0.05)
