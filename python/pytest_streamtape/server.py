"""A `streamtape replay` process serving one test, and the check of replay options before any test runs."""
from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import tempfile
import time
import urllib.request
from typing import Any, Sequence

START_TIMEOUT_S = 15.0


class ReplayStartError(Exception):
    """The replay server exited or stayed silent instead of reporting its address."""


class ReplayServer:
    """`streamtape replay ... --port 0`, started for one test; `url` is `http://127.0.0.1:PORT`."""

    def __init__(self, binary: str, sources: Sequence[str], args: Sequence[str]) -> None:
        self._stderr = tempfile.TemporaryFile(mode="w+b")
        self.command = [binary, "replay", *sources, "--port", "0", *args]
        self._proc = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=self._stderr)
        self.url = self._read_address()

    def _read_address(self) -> str:
        """Waits for the first stdout line, `listening on URL`."""
        assert self._proc.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._proc.stdout], [], [], max(left, 0))
            if not ready:
                self.stop()
                raise ReplayStartError(f"streamtape replay did not report its address within {START_TIMEOUT_S:.0f} s")
            byte = os.read(self._proc.stdout.fileno(), 1)
            if not byte:
                self._proc.wait()
                raise ReplayStartError(self.stderr().strip() or f"streamtape replay exited with {self._proc.returncode}")
            line += byte
        return line.decode().strip().removeprefix("listening on ")

    def misses(self) -> list[dict[str, Any]]:
        """The 404 bodies of the requests no recording matched so far (`GET /__streamtape/misses`)."""
        with urllib.request.urlopen(self.url + "/__streamtape/misses", timeout=5) as answer:
            return list(json.load(answer)["misses"])

    def stderr(self) -> str:
        """What the server wrote on stderr so far (recorded-miss lines, errors)."""
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def stop(self) -> None:
        """SIGTERM, which makes a recording server finish writing its tapes, then waits (SIGKILL after 10 s)."""
        if self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        if self._proc.stdout is not None:
            self._proc.stdout.close()


def option_error(binary: str, args: Sequence[str]) -> str | None:
    """The binary's own message when `streamtape replay` refuses these options as a usage error (exit 2),
    else None. Runs replay against a source that does not exist, so it never listens."""
    missing = os.path.join(tempfile.gettempdir(), "pytest-streamtape-no-such-source", "none.tape.jsonl")
    done = subprocess.run([binary, "replay", missing, *args], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=30)
    if done.returncode != 2:
        return None
    # The CLI's pointer to --help means nothing for a marker argument.
    return done.stderr.strip().removeprefix("streamtape: ").removeprefix("Error: ").removesuffix(" (--help shows the usage)")
