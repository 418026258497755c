"""A fake LLM provider on 127.0.0.1 answering like OpenAI, Anthropic and Gemini, streaming and not.

It extends the recorder tests' fake upstream (Tests/python/record/record_upstream.py): the same corpus
streams, plus Anthropic's and Gemini's non-streaming answers. Every request is kept in `requests`.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tests/python/record"))

import record_upstream  # noqa: E402

ANTHROPIC_JSON = {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-haiku-4-5",
                  "content": [{"type": "text", "text": "Hello from Anthropic JSON."}],
                  "stop_reason": "end_turn", "stop_sequence": None,
                  "usage": {"input_tokens": 3, "output_tokens": 5}}
GEMINI_JSON = {"candidates": [{"content": {"role": "model", "parts": [{"text": "Hello from Gemini JSON."}]},
                               "finishReason": "STOP", "index": 0}],
               "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 5, "totalTokenCount": 8},
               "modelVersion": "gemini-2.5-flash"}


class Handler(record_upstream.Handler):
    """Adds the non-streaming Anthropic and Gemini answers to the recorder tests' fake."""

    def route(self) -> None:
        path = self.path.split("?", 1)[0]
        if path.endswith("/messages") or path.endswith(":generateContent"):
            length = int(self.headers.get("content-length") or 0)
            self.body = self.rfile.read(length) if length else b""
            self.server.requests.append({"method": self.command, "path": self.path,
                                         "headers": [[k, v] for k, v in self.headers.items()], "body": self.body})
            if path.endswith(":generateContent"):
                return self.json(200, GEMINI_JSON)
            if json.loads(self.body or b"{}").get("stream"):
                return self.stream(record_upstream.corpus("11-anthropic-thinking-haiku"), chunk=64)
            return self.json(200, ANTHROPIC_JSON)
        return super().route()


class FakeProvider(record_upstream.FakeUpstream):
    """The fake on 127.0.0.1, port 0; `url`, `requests`, `close()`."""

    def __init__(self) -> None:
        super().__init__()
        self.httpd.RequestHandlerClass = Handler


if __name__ == "__main__":
    import time
    up = FakeProvider()
    print(up.url, flush=True)
    time.sleep(3600)
