"""Fixtures for the recorder's end-to-end tests: a fake upstream and `streamtape record` around it."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from record_support import Recorder  # noqa: E402
from record_upstream import FakeUpstream  # noqa: E402


@pytest.fixture(scope="module")
def upstream():
    up = FakeUpstream()
    yield up
    up.close()


@pytest.fixture
def record(tmp_path):
    """Starts recorders with the given arguments; stops them all after the test."""
    started = []

    def start(*args, env=None):
        r = Recorder(*args, cwd=tmp_path, env=env)
        started.append(r)
        return r

    yield start
    for r in started:
        r.stop()


@pytest.fixture
def recorder(record, upstream):
    return record("--upstream", upstream.url)


@pytest.fixture(scope="module")
def tls_cert(tmp_path_factory):
    """A self-signed certificate for localhost, made now with openssl (never stored in the repo)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem")],
                   check=True, capture_output=True)
    return d / "cert.pem", d / "key.pem"


@pytest.fixture
def tls_upstream(tls_cert):
    """A fake upstream serving HTTPS with `tls_cert` (trusted only through `--upstream-ca`)."""
    cert, key = tls_cert
    up = FakeUpstream(certfile=str(cert), keyfile=str(key))
    yield up
    up.close()
