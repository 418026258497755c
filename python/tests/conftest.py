"""Fixtures of the plugin's own tests: a fake provider, and pytester with the plugin loaded from its
installed entry point (`pip install ./python`) and the binary from $STREAMTAPE_BIN."""
from __future__ import annotations

import os
from typing import Iterator

import pytest

from fake_provider import REPO, FakeProvider

pytest_plugins = ["pytester"]


@pytest.fixture(scope="session", autouse=True)
def streamtape_bin() -> str:
    """The binary under test: $STREAMTAPE_BIN, else the debug build of this repository."""
    path = os.environ.setdefault("STREAMTAPE_BIN", str(REPO / ".build/debug/streamtape"))
    assert os.access(path, os.X_OK), f"build streamtape first (swift build --product streamtape); {path} missing"
    return path


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    """A fake OpenAI/Anthropic/Gemini upstream on 127.0.0.1, stopped after the test."""
    up = FakeProvider()
    yield up
    up.close()
