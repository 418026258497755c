#!/usr/bin/env python3
"""Writes one synthetic tape (*.tape.jsonl, format in /work/shared/design.md) with N SSE chunks.

Usage: make-tape.py OUT N [CHUNK_BYTES]
Every 7th chunk is not valid UTF-8 on its own (it ends inside a character), so both the `text`
and the `b64` chunk forms are exercised. Offsets advance 1 ms per chunk.
"""
import base64, json, sys

out, n = sys.argv[1], int(sys.argv[2])
size = int(sys.argv[3]) if len(sys.argv) > 3 else 64
with open(out, "w", encoding="utf-8") as f:
    head = {"streamtape": 1, "started": "2026-11-26T07:00:00.000Z", "upstream": "https://api.openai.com",
            "request": {"method": "POST", "target": "/v1/chat/completions",
                        "headers": [["content-type", "application/json"]], "body": "{\"stream\":true}"},
            "response": {"status": 200, "t": 0.1, "headers": [["content-type", "text/event-stream"]]}}
    f.write(json.dumps(head, separators=(",", ":")) + "\n")
    for i in range(n):
        payload = ("data: {\"i\":%d,\"t\":\"" % i).encode()
        payload += b"x" * max(0, size - len(payload) - 5) + b"\"}\n\n"
        t = round(0.1 + i * 0.001, 6)
        if i % 7 == 0:
            cut = payload[:-3] + "é".encode()[:1]
            f.write(json.dumps({"t": t, "b64": base64.b64encode(cut).decode()}) + "\n")
        else:
            f.write(json.dumps({"t": t, "text": payload.decode()}) + "\n")
    f.write(json.dumps({"t": round(0.1 + n * 0.001, 6), "end": "complete"}) + "\n")
