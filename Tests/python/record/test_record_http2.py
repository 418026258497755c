"""An HTTPS upstream that offers HTTP/2 is spoken to in HTTP/2 (nginx as the upstream, if installed)."""
import shutil
import signal
import socket
import subprocess
import time

import pytest

from record_upstream import CORPUS
from record_support import curl


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_an_http2_upstream_is_used_over_http2_and_the_body_arrives_byte_exact(tls_cert, record, tmp_path):
    cert, key = tls_cert
    port = free_port()
    (tmp_path / "www").mkdir()
    (tmp_path / "www/stream.sse").write_bytes((CORPUS / "08-anthropic-thinking-text.sse").read_bytes())
    (tmp_path / "nginx.conf").write_text(f"""
user root;
worker_processes 1;
error_log {tmp_path}/error.log;
pid {tmp_path}/nginx.pid;
events {{ worker_connections 64; }}
http {{
    access_log {tmp_path}/access.log;
    log_format proto '$server_protocol $request_uri';
    types {{ text/event-stream sse; }}
    client_body_temp_path {tmp_path}; proxy_temp_path {tmp_path}; fastcgi_temp_path {tmp_path};
    uwsgi_temp_path {tmp_path}; scgi_temp_path {tmp_path};
    server {{
        listen 127.0.0.1:{port} ssl http2;
        ssl_certificate {cert}; ssl_certificate_key {key};
        access_log {tmp_path}/access.log proto;
        root {tmp_path}/www;
    }}
}}
""")
    nginx = subprocess.Popen(["nginx", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
                             stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        r = record("--upstream", f"https://localhost:{port}", "--upstream-ca", str(cert))
        out = curl(r.url + "/stream.sse")
        assert out.stdout == (CORPUS / "08-anthropic-thinking-text.sse").read_bytes()
        assert r.exchanges(1)[0]["state"] == "complete"
        time.sleep(0.2)
        assert (tmp_path / "access.log").read_text().split("\n")[0] == "HTTP/2.0 /stream.sse"
    finally:
        nginx.send_signal(signal.SIGQUIT)
        try:
            nginx.wait(timeout=10)
        except subprocess.TimeoutExpired:
            nginx.kill()
