#!/usr/bin/env python3
"""Writes the seed corpus of one fuzz target from captures/ and the core test fixtures.

usage: seeds.py TARGET OUT_DIR   (TARGET: analysis, tape, replay)
Each seed is laid out as the target's entry file describes.
"""
import base64, glob, hashlib, json, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests/StreamtapeCoreTests/Fixtures")


def tapes():
    return sorted(glob.glob(os.path.join(ROOT, "captures/*.tape.jsonl")) +
                  glob.glob(os.path.join(FIXTURES, "**/*.tape.jsonl"), recursive=True))


def read_tape(path):
    """(request dict, joined body bytes) of a tape, or None when it does not read."""
    try:
        lines = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    except ValueError:
        return None
    body = b""
    for line in lines[1:]:
        if "text" in line:
            body += line["text"].encode()
        elif "b64" in line:
            body += base64.b64decode(line["b64"])
    return lines[0].get("request", {}), body


def request_bytes(req):
    body = req.get("body", "").encode() if "body" in req else base64.b64decode(req.get("body_b64", ""))
    return f"{req.get('method', '')} {req.get('target', '')}\n".encode() + body


def seeds(target):
    if target == "tape":
        for path in tapes():
            yield open(path, "rb").read()
    elif target == "analysis":
        bodies = [t[1] for t in map(read_tape, tapes()) if t]
        bodies += [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(FIXTURES, "**/*.sse"), recursive=True) +
                                                        glob.glob(os.path.join(FIXTURES, "**/*.ndjson"), recursive=True))]
        for body in bodies:
            yield bytes([0x06, 0x00]) + body          # detected dialect, event-stream, no path, one chunk
            yield bytes([0x0E, 0x27]) + body          # detected, ndjson content type, 7-byte chunks
    elif target == "replay":
        requests = [request_bytes(t[0]) for t in map(read_tape, tapes()) if t]
        for p in sorted(glob.glob(os.path.join(FIXTURES, "real-streams/*.request.json"))):
            requests.append(b"POST /v1/chat/completions\n" + open(p, "rb").read())
        for i, r in enumerate(requests):
            yield bytes([i % 3]) + b"metadata.user,messages.*.name\0" + r + b"\0" + r
        yield bytes([0]) + b"\0" + b"\0".join(requests)
        for p in sorted(glob.glob(os.path.join(FIXTURES, "regressions/*.replay"))):
            yield open(p, "rb").read()
    else:
        sys.exit(f"unknown target {target}")


def main():
    target, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for seed in seeds(target):
        with open(os.path.join(out, hashlib.sha1(seed).hexdigest()), "wb") as f:
            f.write(seed)


if __name__ == "__main__":
    main()
