"""What the `streamtape` fixture yields: one test's replay server, its cassette and record mode."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .modes import RecordMode
from .server import ReplayServer


@dataclass
class Streamtape:
    """The replay server of one test. The SDK base-URL variables point at `url` while the test runs."""

    url: str
    """The server's base URL, `http://127.0.0.1:PORT` (OpenAI clients want `url + "/v1"`)."""
    cassette: Path
    """The test's cassette folder (`<test folder>/cassettes/<module>/<test>/`)."""
    mode: RecordMode
    """The record mode in force."""
    recording: bool
    """Whether requests no recording matches are forwarded upstream and written as new tapes."""
    server: ReplayServer
    """The `streamtape replay` process."""
    tapes: list[Path]
    """The tapes the server loaded at start, in the order it serves them."""
