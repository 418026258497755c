"""Under each fault the official SDKs (max_retries=0) raise or end the way docs/replay.md says."""
import subprocess
import time

import anthropic
import openai
import pytest
from google.genai import errors as genai_errors

from replay_support import expected, sse_path
from replay_sdk import BY_DIALECT

STREAMS = {
    "openai-chat": "01-openai-chat-text",
    "openai-responses": "06-openai-responses-text-after-tool",
    "anthropic": "11-anthropic-thinking-haiku",
    "gemini": "14-gemini-text-crlf",
}


def start(replay, dialect, *faults, extra=()):
    args = ["--instant", *extra]
    for f in faults:
        args += ["--fault", f]
    return replay(sse_path(STREAMS[dialect]), args=args)


@pytest.mark.parametrize("dialect", ["openai-chat", "openai-responses"])
def test_cut_raises_a_connection_error_in_the_openai_sdk(replay, dialect):
    url = start(replay, dialect, "cut@3")
    with pytest.raises(openai.APIConnectionError) as info:
        BY_DIALECT[dialect](url)
    assert "incomplete chunked read" in str(info.value.__cause__)


def transport_error(error, sdk_wrapper):
    """The transport's error: raised as it is, or (anthropic from 2.17) wrapped by the SDK with it as the cause."""
    if isinstance(error, sdk_wrapper):
        return error.__cause__
    return error


@pytest.mark.parametrize("dialect", ["anthropic", "gemini"])
def test_cut_raises_the_transports_incomplete_body_error(replay, dialect):
    url = start(replay, dialect, "cut@2")
    with pytest.raises(Exception) as info:
        BY_DIALECT[dialect](url)
    error = transport_error(info.value, anthropic.APIConnectionError)
    assert type(error).__name__ == "RemoteProtocolError"
    assert "incomplete chunked read" in str(error)


def test_cut_makes_curl_fail_with_exactly_the_first_events(replay):
    url = start(replay, "openai-chat", "cut@3")
    out = subprocess.run(["curl", "-sN", "--max-time", "10", "-d", "{}", url + "/v1/chat/completions"], capture_output=True, timeout=20)
    assert out.returncode == 18  # CURLE_PARTIAL_FILE: the body ended before its end
    with open(sse_path(STREAMS["openai-chat"]), "rb") as f:
        events = f.read().split(b"\n\n")
    assert out.stdout == b"\n\n".join(events[:3]) + b"\n\n"


def test_error_openai_chat_raises_api_error_mid_stream(replay):
    url = start(replay, "openai-chat", "error@3=openai-chat")
    with pytest.raises(openai.APIError) as info:
        BY_DIALECT["openai-chat"](url)
    assert not isinstance(info.value, openai.APIStatusError)
    assert info.value.message == "The server had an error while processing your request. Sorry about that!"
    assert info.value.type == "server_error"


def test_error_openai_responses_ends_with_status_failed(replay):
    # The SDK yields the `error` and `response.failed` events without raising: the client must read the status.
    got = BY_DIALECT["openai-responses"](start(replay, "openai-responses", "error@5=openai-responses"))
    assert got["stop"] == "failed"
    assert got["text"] == "The"  # event 5 is the first text delta


def test_error_anthropic_raises_overloaded_error_after_some_text(replay):
    url = start(replay, "anthropic", "error@5=anthropic")
    with pytest.raises(anthropic.APIStatusError) as info:
        BY_DIALECT["anthropic"](url)
    assert info.value.body == {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}


def test_error_gemini_raises_server_error_503(replay):
    url = start(replay, "gemini", "error@1=gemini")
    with pytest.raises(genai_errors.ServerError) as info:
        BY_DIALECT["gemini"](url)
    assert info.value.code == 503 and info.value.status == "UNAVAILABLE"


@pytest.mark.parametrize("dialect,code,error", [
    ("openai-chat", 429, openai.RateLimitError),
    ("openai-responses", 500, openai.InternalServerError),
    ("anthropic", 429, anthropic.RateLimitError),
    ("anthropic", 529, anthropic.OverloadedError),
    ("gemini", 429, genai_errors.ClientError),
    ("gemini", 503, genai_errors.ServerError),
])
def test_status_raises_the_sdks_status_error(replay, dialect, code, error):
    url = start(replay, dialect, f"status={code}")
    with pytest.raises(error) as info:
        BY_DIALECT[dialect](url)
    assert getattr(info.value, "status_code", getattr(info.value, "code", None)) == code


@pytest.mark.parametrize("dialect", list(STREAMS))
def test_rechunk_one_byte_rebuilds_the_same_result(replay, dialect):
    e = expected(STREAMS[dialect])
    got = BY_DIALECT[dialect](start(replay, dialect, "rechunk=1"))
    assert (got["text"], got["reasoning"], got["stop"]) == (e["text"], e["reasoning"], e["stop"])


@pytest.mark.parametrize("dialect,stop,text_complete", [
    ("openai-chat", "stop", True),          # the SDK does not check for [DONE]
    ("openai-responses", None, True),       # no response.completed: no final status
    ("anthropic", "end_turn", True),        # message_delta still came; message_stop did not
    ("gemini", None, False),                # the last chunk carried the end of the text and finishReason
])
def test_drop_terminator_ends_cleanly_without_the_end_marker(replay, dialect, stop, text_complete):
    e = expected(STREAMS[dialect])
    got = BY_DIALECT[dialect](start(replay, dialect, "drop-terminator"))
    assert got["stop"] == stop
    assert (got["text"] == e["text"]) == text_complete
    assert e["text"].startswith(got["text"])


def test_drop_terminator_removes_done_from_the_bytes(replay):
    url = start(replay, "openai-chat", "drop-terminator")
    out = subprocess.run(["curl", "-sSN", "--max-time", "10", "-d", "{}", url + "/v1/chat/completions"], capture_output=True, timeout=20)
    assert out.returncode == 0
    with open(sse_path(STREAMS["openai-chat"]), "rb") as f:
        assert out.stdout == f.read().replace(b"data: [DONE]\n\n", b"")


@pytest.mark.parametrize("dialect,error", [("openai-chat", "APITimeoutError"), ("anthropic", "ReadTimeout")])
def test_stall_longer_than_the_read_timeout_raises_a_timeout(replay, dialect, error):
    url = start(replay, dialect, "stall@2=3")
    started = time.monotonic()
    with pytest.raises(Exception) as info:
        BY_DIALECT[dialect](url, timeout=0.5)
    assert type(transport_error(info.value, anthropic.APITimeoutError)).__name__ == error
    assert time.monotonic() - started < 2.5


def test_stall_shorter_than_the_timeout_only_delays(replay):
    e = expected(STREAMS["openai-chat"])
    url = start(replay, "openai-chat", "stall@2=0.6")
    started = time.monotonic()
    got = BY_DIALECT["openai-chat"](url, timeout=5)
    assert time.monotonic() - started >= 0.6
    assert got["text"] == e["text"]
