"""pytest fixtures for replay end-to-end tests: run `streamtape replay` on port 0 and hand out its URL.

Recipe (copy into your own conftest.py to test a client against a recorded stream):

    @pytest.fixture
    def replay():
        servers = []
        def start(*sources, args=()):
            proc = subprocess.Popen([STREAMTAPE_BIN, "replay", *sources, "--port", "0", *args],
                                    stdout=subprocess.PIPE, text=True)   # stderr: pytest captures it
            line = proc.stdout.readline()          # "listening on http://127.0.0.1:PORT"
            servers.append(proc)
            return line.strip().removeprefix("listening on ")
        yield start
        for proc in servers:
            proc.terminate(); proc.wait(timeout=5)

The binary is found through $STREAMTAPE_BIN (default .build/debug/streamtape under the repo root).
"""
import select
import subprocess
import tempfile

import pytest

from replay_support import BIN


class Replay:
    """A running `streamtape replay` process."""

    def __init__(self, proc, url):
        self.proc = proc
        self.url = url

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


@pytest.fixture
def replay():
    """Factory: `replay(*sources, args=[...])` starts a server on 127.0.0.1 port 0 and returns its URL.
    Every server started is stopped when the test ends."""
    started = []

    def start(*sources, args=()):
        # stderr to a file, not a pipe: nobody reads it while the test runs, and a full pipe would stall
        # the server on its line per request.
        log = tempfile.TemporaryFile(mode="w+")
        proc = subprocess.Popen([BIN, "replay", *sources, "--port", "0", *args],
                                stdout=subprocess.PIPE, stderr=log, text=True)
        ready, _, _ = select.select([proc.stdout], [], [], 20)
        line = proc.stdout.readline() if ready else ""
        if not line.startswith("listening on http://127.0.0.1:"):
            proc.kill()
            proc.wait(timeout=5)
            log.seek(0)
            raise RuntimeError(f"replay did not start: {line!r} {log.read().strip()}")
        r = Replay(proc, line.strip().removeprefix("listening on "))
        started.append(r)
        return r.url

    yield start
    for r in started:
        r.stop()


@pytest.fixture
def run_cli():
    """Runs the binary to completion with a timeout: returns (exit code, stdout, stderr)."""
    def run(*args, timeout=20):
        p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    return run
