"""HTTPS_PROXY is honoured for the upstream; the live status line appears only on a terminal."""
import os
import select
import shutil
import socket
import subprocess
import threading
import time

import pytest

from record_support import BIN
from record_upstream import CORPUS
from record_support import curl


class ConnectProxy:
    """An HTTP CONNECT proxy on 127.0.0.1:0 that notes each tunnel it opens."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.tunnels = []
        self.running = True
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.tunnel, args=(conn,), daemon=True).start()

    def tunnel(self, conn):
        head = b""
        while b"\r\n\r\n" not in head:
            data = conn.recv(4096)
            if not data:
                return conn.close()
            head += data
        line = head.split(b"\r\n")[0].decode()
        method, target, _ = line.split(" ")
        self.tunnels.append((method, target))
        host, port = target.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        socks = [conn, upstream]
        try:
            while True:
                ready, _, _ = select.select(socks, [], [], 10)
                if not ready:
                    break
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    (upstream if s is conn else conn).sendall(data)
        finally:
            conn.close()
            upstream.close()

    def close(self):
        self.running = False
        self.sock.close()


def test_https_proxy_from_the_environment_carries_the_upstream_connection(tls_cert, tls_upstream, record):
    cert, _ = tls_cert
    proxy = ConnectProxy()
    try:
        env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "http_proxy", "https_proxy", "all_proxy")}
        env["HTTPS_PROXY"] = f"http://127.0.0.1:{proxy.port}"
        r = record("--upstream", tls_upstream.url, "--upstream-ca", str(cert), env=env)
        out = curl(r.url + "/sse?file=01-openai-chat-text&chunk=200")
        assert out.stdout == (CORPUS / "01-openai-chat-text.sse").read_bytes()
        assert proxy.tunnels == [("CONNECT", f"localhost:{tls_upstream.port}")]
    finally:
        proxy.close()


@pytest.mark.skipif(shutil.which("script") is None, reason="util-linux script is not installed")
def test_the_live_status_line_is_drawn_on_a_terminal_only(upstream, tmp_path):
    # `script` gives the recorder a pseudo-terminal for stdout and stderr.
    cmd = f"{BIN} record --listen 127.0.0.1:0 --upstream {upstream.url}"
    proc = subprocess.Popen(["script", "-qfec", cmd, "/dev/null"], stdout=subprocess.PIPE, stdin=subprocess.PIPE, cwd=tmp_path)
    try:
        time.sleep(1.5)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=15)
    text = out.decode(errors="replace")
    assert "listening on http://127.0.0.1:" in text
    assert "\x1b[K0 open · 0 exchanges · 0 events/s · 0 problems · 0 B" in text
