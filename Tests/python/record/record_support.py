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
