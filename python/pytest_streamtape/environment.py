"""The environment variables the official SDKs read their base URL (and key) from, set for one test."""
from __future__ import annotations

import contextlib
import os
from typing import Iterator

PLACEHOLDER_KEY = "streamtape-replay"
"""The API key set for SDKs when a test only replays and no key is configured (credentials are not matched)."""


def base_urls(url: str) -> dict[str, str]:
    """Base-URL variables pointing the openai, anthropic and google-genai SDKs at `url`."""
    return {
        "OPENAI_BASE_URL": url + "/v1",
        "ANTHROPIC_BASE_URL": url,
        # google-genai reads it in google/genai/_base_url.py (Gemini API, not Vertex AI).
        "GOOGLE_GEMINI_BASE_URL": url,
    }


def placeholder_keys() -> dict[str, str]:
    """Keys for the SDKs that have none, so replay-only runs (CI) need no secret."""
    keys: dict[str, str] = {}
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY"):
        if not os.environ.get(name):
            keys[name] = PLACEHOLDER_KEY
    if not os.environ.get("GEMINI_API_KEY") and not os.environ.get("GOOGLE_API_KEY"):
        keys["GEMINI_API_KEY"] = PLACEHOLDER_KEY
    return keys


@contextlib.contextmanager
def patched(values: dict[str, str]) -> Iterator[None]:
    """Sets `values` in `os.environ` and restores what was there (or its absence) afterwards."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old
