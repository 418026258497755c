"""`streamtape stats --json` on a generated archive matches percentiles computed here, independently,
from the timings the generator chose (nearest rank: the value at rank ceil(p/100 * n))."""
import json
import math
import os
import pathlib
import random
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[3]
BIN = os.environ.get("STREAMTAPE_BIN", str(ROOT / ".build" / "debug" / "streamtape"))
MODELS = ["gpt-4o", "gpt-4o-mini", "o3"]


def st(*args):
    r = subprocess.run([BIN, *args], capture_output=True, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stderr.decode()
    return r.stdout.decode()


def rank(values, p):
    s = sorted(values)
    return s[max(1, math.ceil(p / 100 * len(s))) - 1] if s else None


def chunk(obj):
    return "data: " + json.dumps(obj, separators=(",", ":")) + "\n\n"


def generate(rng, i):
    """One tape and the facts it was built with (times in integer microseconds)."""
    model = MODELS[i % 3]
    ttfb = rng.randint(50_000, 2_000_000)
    times, t = [], ttfb
    stalled = rng.random() < 0.1
    failed = rng.random() < 0.1
    n = rng.randint(2, 30)
    for k in range(n):
        t += rng.randint(1_000, 200_000) + (6_000_000 if stalled and k == n // 2 else 0)
        times.append(t)
    tokens = rng.randint(n, 4 * n)
    lines = [(ttfb, chunk({"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]}))]
    lines += [(x, chunk({"choices": [{"index": 0, "delta": {"content": f"w{k} "}}]})) for k, x in enumerate(times)]
    end = t + 20_000
    if failed:
        lines.append((t + 10_000, chunk({"error": {"type": "server_error", "message": "boom"}})))
    else:
        lines.append((t + 10_000, chunk({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                                          "usage": {"prompt_tokens": 5, "completion_tokens": tokens}})))
        lines.append((t + 15_000, "data: [DONE]\n\n"))
    head = {"streamtape": 1, "started": f"2026-11-26T07:{i // 60:02d}:{i % 60:02d}.000Z", "upstream": "https://api.openai.com",
            "request": {"method": "POST", "target": "/v1/chat/completions", "headers": [["content-type", "application/json"]],
                        "body": json.dumps({"model": model, "stream": True})},
            "response": {"status": 200, "t": ttfb / 1e6 / 2, "headers": [["content-type", "text/event-stream"]]}}
    tape = [json.dumps(head)] + [json.dumps({"t": x / 1e6, "text": text}) for x, text in lines] + [json.dumps({"t": end / 1e6, "end": "complete"})]
    gaps = [b - a for a, b in zip(times, times[1:])]
    facts = {"model": model, "ttfb": ttfb, "ttfc": times[0], "gap": rank(gaps, 50), "duration": end,
             "tps": None if failed else tokens / ((times[-1] - times[0]) / 1e6), "stalled": stalled, "failed": failed}
    return "\n".join(tape) + "\n", facts


def test_stats_by_model_matches_independently_computed_percentiles(tmp_path):
    rng = random.Random(14)
    facts = []
    for i in range(150):
        text, f = generate(rng, i)
        (tmp_path / f"{i:03d}.tape.jsonl").write_text(text)
        facts.append(f)
    archive = str(tmp_path / "a.sqlite")
    st("import", "--archive", archive, *sorted(str(p) for p in tmp_path.glob("*.tape.jsonl")))
    groups = [json.loads(line) for line in st("stats", "--by", "model", "--json", "--archive", archive).splitlines()]
    assert [g["group"] for g in groups] == sorted(MODELS)
    names = {"streamtape.time_to_first_byte": "ttfb", "gen_ai.client.operation.time_to_first_chunk": "ttfc",
             "gen_ai.client.operation.time_per_output_chunk": "gap", "gen_ai.client.operation.duration": "duration"}
    for g in groups:
        mine = [f for f in facts if f["model"] == g["group"]]
        assert g["by"] == "model" and g["count"] == len(mine)
        assert g["stalls"] == sum(f["stalled"] for f in mine)
        assert g["errors"] == sum(f["failed"] for f in mine)
        assert g["codes"].get("error-event", {}).get("count", 0) == sum(f["failed"] for f in mine)
        for name, key in names.items():
            got = g["metrics"][name]
            values = [f[key] for f in mine]
            assert got["unit"] == "s" and got["count"] == len(values)
            for p in (50, 90, 99):
                assert got[f"p{p}"] == rank(values, p) / 1e6, (name, p)
            assert got["max"] == max(values) / 1e6
        rates = [f["tps"] for f in mine if f["tps"] is not None]
        got = g["metrics"]["streamtape.output_tokens_per_second"]
        assert got["count"] == len(rates)
        for p in (50, 90, 99):
            assert abs(got[f"p{p}"] - rank(rates, p)) < 0.0006


def test_stats_filters_select_the_same_exchanges_as_list(tmp_path):
    rng = random.Random(7)
    for i in range(30):
        (tmp_path / f"{i:03d}.tape.jsonl").write_text(generate(rng, i)[0])
    archive = str(tmp_path / "a.sqlite")
    st("import", "--archive", archive, *sorted(str(p) for p in tmp_path.glob("*.tape.jsonl")))
    listed = [json.loads(x) for x in st("list", "--json", "--model", "o3", "--code", "stall", "--archive", archive).splitlines()]
    (group,) = [json.loads(x) for x in st("stats", "--json", "--model", "o3", "--code", "stall", "--archive", archive).splitlines()]
    assert listed and all(r["model"] == "o3" for r in listed)
    assert group["group"] == "all" and group["count"] == len(listed) == group["stalls"]
