#!/usr/bin/env python3
"""Writes expected/<fixture>.<n>.body: each interaction's or entry's response body as vcrpy (and a
browser) would hand it to a client, decoded by Python's own YAML, JSON, base64 and zlib, so the Swift
readers are checked against an independent decoder (brotli: Debian's `brotli` CLI). Run from this
folder after adding a fixture."""
import base64, json, pathlib, subprocess, zlib
import yaml

def decode(body, headers):
    coding = next((v for k, v in headers.items() if k.lower() == "content-encoding"), None)
    if isinstance(coding, list):
        coding = coding[0]
    if coding and coding.strip().lower() == "br":
        return subprocess.run(["brotli", "-d", "-c"], input=body, capture_output=True, check=True).stdout
    if coding and coding.strip().lower() in ("gzip", "deflate"):
        try:
            return zlib.decompress(body, 47 if coding.strip().lower() == "gzip" else 15)
        except zlib.error:
            return body  # already decoded by the exporter
    return body

out = pathlib.Path("expected")
for path in sorted(pathlib.Path(".").iterdir()):
    if path.suffix in (".yaml", ".json") and "migration-old" not in path.name:
        doc = yaml.safe_load(path.read_text()) if path.suffix == ".yaml" else json.loads(path.read_text())
        for n, i in enumerate(doc["interactions"], 1):
            r = i["response"]
            if "content" in r:
                body = r["content"]
            elif "parsed_body" in r:
                body = json.dumps(r["parsed_body"])
            else:
                body = r["body"]["string"]
            body = body.encode() if isinstance(body, str) else (body or b"")
            (out / f"{path.name}.{n}.body").write_bytes(decode(body, r.get("headers") or {}))
    elif path.suffix == ".har":
        for n, e in enumerate(json.loads(path.read_text())["log"]["entries"], 1):
            c = e["response"]["content"]
            text = c.get("text") or ""
            body = base64.b64decode(text) if c.get("encoding") == "base64" else text.encode()
            headers = {h["name"]: h["value"] for h in e["response"]["headers"]}
            (out / f"{path.name}.{n}.body").write_bytes(decode(body, headers))
