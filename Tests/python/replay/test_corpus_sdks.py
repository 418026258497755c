"""The official SDKs (max_retries=0) and curl -N, pointed at replays of the corpus streams, rebuild
exactly what each `.expected.json` says."""
import subprocess

import anthropic
import pytest

from replay_support import corpus_names, expected, sse_path
from replay_sdk import BY_DIALECT


def _expected_calls(e):
    return [{"id": c.get("id"), "name": c["name"], "arguments": c["arguments"]} for c in e["tool_calls"]]


@pytest.mark.parametrize("name", [n for n in corpus_names() if not expected(n)["errors"]])
@pytest.mark.parametrize("pace", [["--instant"], ["--fault", "rechunk=random:11", "--instant"]], ids=["as-recorded", "rechunked"])
def test_sdk_rebuilds_the_expected_text_tool_calls_and_stop(replay, name, pace):
    e = expected(name)
    url = replay(sse_path(name), args=pace)
    got = BY_DIALECT[e["dialect"]](url)
    assert got["text"] == e["text"]
    assert got["reasoning"] == e["reasoning"]
    calls = got["tool_calls"]
    if e["dialect"] == "gemini":  # Gemini function calls carry no id
        calls = [{**c, "id": None} for c in calls]
    assert calls == _expected_calls(e)
    assert got["stop"] == e["stop"]


def test_anthropic_sdk_raises_the_recorded_overloaded_error(replay):
    e = expected("13-anthropic-error-overloaded")
    url = replay(sse_path("13-anthropic-error-overloaded"), args=["--instant"])
    with pytest.raises(anthropic.APIStatusError) as info:
        BY_DIALECT["anthropic"](url)
    assert info.value.body["error"]["type"] == e["errors"][0]["type"] == "overloaded_error"
    assert info.value.body["error"]["message"] == e["errors"][0]["message"]


@pytest.mark.parametrize("name", corpus_names())
def test_curl_receives_the_body_byte_exact(replay, name):
    url = replay(sse_path(name), args=["--instant"])
    out = subprocess.run(["curl", "-sSN", "--max-time", "10", "-H", "content-type: application/json",
                          "-d", "{}", url + "/v1/chat/completions"], capture_output=True, timeout=20)
    assert out.returncode == 0, out.stderr
    with open(sse_path(name), "rb") as f:
        assert out.stdout == f.read()
