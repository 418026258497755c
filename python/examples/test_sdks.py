"""The example project's tests: each calls an official SDK, streaming or not, through the replay server
the streamtape marker starts. With EXAMPLE_RESULTS set, each writes what it got there."""
from __future__ import annotations

import os
from pathlib import Path

import anthropic
import openai
import pytest
from google.genai import errors as genai_errors

import app

pytestmark = pytest.mark.streamtape(instant=True)


def keep(name: str, text: str) -> str:
    folder = os.environ.get("EXAMPLE_RESULTS")
    if folder:
        Path(folder, name + ".txt").write_text(text, encoding="utf-8")
    return text


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_openai_chat(stream):
    assert keep(f"openai-{stream}", app.openai_chat(stream))


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_anthropic_message(stream):
    assert keep(f"anthropic-{stream}", app.anthropic_message(stream))


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_gemini_generate(stream):
    assert keep(f"gemini-{stream}", app.gemini_generate(stream))


@pytest.mark.streamtape(repeat=True)
def test_same_question_three_times():
    answers = [app.openai_chat(stream=True) for _ in range(3)]
    assert answers[0] and answers == [answers[0]] * 3
    keep("repeat", "\n".join(answers))


@pytest.mark.streamtape(cassette="test_openai_chat[stream]", faults=["cut@3"])
def test_openai_stream_cut_after_event_3():
    with pytest.raises(openai.APIConnectionError):
        app.openai_chat(stream=True)


@pytest.mark.streamtape(cassette="test_anthropic_message[stream]", faults=["error@3=anthropic"])
def test_anthropic_overloaded_mid_stream():
    with pytest.raises(anthropic.APIStatusError, match="overloaded_error"):
        app.anthropic_message(stream=True)


@pytest.mark.streamtape(cassette="test_gemini_generate[stream]", faults=["status=429"])
def test_gemini_rate_limited():
    with pytest.raises(genai_errors.ClientError) as caught:
        app.gemini_generate(stream=True)
    assert caught.value.code == 429


@pytest.mark.streamtape(cassette="test_anthropic_message[stream]", faults=["cut@2"])
def test_anthropic_stream_cut():
    with pytest.raises(anthropic.APIConnectionError, match="incomplete chunked read"):
        app.anthropic_message(stream=True)
