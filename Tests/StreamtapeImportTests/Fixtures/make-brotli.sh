#!/usr/bin/env bash
# Writes the brotli test data from the real gzip cassette beside it, with Debian's `brotli` CLI
# (`apt-get install brotli`, 1.0.9): the same Anthropic SSE stream re-encoded as `Content-Encoding: br`,
# as a vcrpy cassette (`!!binary`) and as a HAR entry (base64), and a 241-byte brotli bomb.
# Run from this folder; the output is deterministic for a given brotli version.
set -euo pipefail
src=anthropic-messages-stream-gzip-binary.yaml
python3 -c 'import sys, yaml; sys.stdout.buffer.write(yaml.safe_load(open(sys.argv[1]))["interactions"][0]["response"]["body"]["string"])' "$src" \
    | gunzip -c | brotli -c -q 11 > /tmp/stream.br
python3 - "$src" /tmp/stream.br <<'PY'
import base64, json, sys, textwrap, yaml
src, br = sys.argv[1], open(sys.argv[2], "rb").read()
# The cassette: the gzip one line for line, with the !!binary block and the Content-Encoding value replaced.
out, lines, i = [], open(src).read().split("\n"), 0
while i < len(lines):
    line = lines[i]
    out.append(line)
    if line.endswith("string: !!binary |"):
        out += ["        " + l for l in textwrap.wrap(base64.b64encode(br).decode(), 76)]
        i += 1
        while lines[i].startswith("        "): i += 1
        continue
    if line == "      Content-Encoding:":
        assert lines[i + 1] == "      - gzip"
        out.append("      - br"); i += 2
        continue
    i += 1
open("anthropic-messages-stream-br-binary.yaml", "w").write("\n".join(out))
# The HAR: one entry with the cassette's request and response, the body base64 in content.text.
x = yaml.safe_load(open("anthropic-messages-stream-br-binary.yaml"))["interactions"][0]
pairs = lambda h: [{"name": k, "value": v} for k, vs in h.items() for v in vs]
entry = {
    "startedDateTime": "2026-04-05T10:23:55.000Z", "time": 0,
    "request": {"method": x["request"]["method"], "url": x["request"]["uri"], "httpVersion": "HTTP/1.1",
                "cookies": [], "headers": pairs(x["request"]["headers"]), "queryString": [],
                "postData": {"mimeType": "application/json", "text": x["request"]["body"]}, "headersSize": -1, "bodySize": -1},
    "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [],
                 "headers": pairs(x["response"]["headers"]), "redirectURL": "", "headersSize": -1, "bodySize": len(br),
                 "content": {"size": len(br), "mimeType": "text/event-stream; charset=utf-8",
                             "text": base64.b64encode(br).decode(), "encoding": "base64"}},
    "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0},
}
har = {"log": {"version": "1.2", "creator": {"name": "make-brotli.sh", "version": "1"}, "entries": [entry]}}
open("anthropic-messages-stream-br-base64.har", "w").write(json.dumps(har, indent=1) + "\n")
PY
rm /tmp/stream.br
# 300 MiB of zeros: 241 bytes of brotli whose body would not fit the import limit.
head -c 300M /dev/zero | brotli -c -q 9 > bomb-300MiB.br
