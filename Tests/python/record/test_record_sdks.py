"""The official SDKs get the same result through the recorder as directly from the (fake) upstream."""
import json

import anthropic
import openai
import pytest
from google import genai
from google.genai import types

from record_upstream import CORPUS


def expected(name):
    return json.loads((CORPUS / f"{name}.expected.json").read_text())


def openai_chat_text(base_url):
    client = openai.OpenAI(base_url=base_url + "/v1", api_key="sk-test-SDKSECRET", max_retries=0)
    stream = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], stream=True)
    return "".join(c.choices[0].delta.content or "" for c in stream if c.choices)


def test_openai_chat_stream_is_the_same_through_the_recorder(upstream, recorder):
    direct = openai_chat_text(upstream.url)
    through = openai_chat_text(recorder.url)
    assert direct == expected("01-openai-chat-text")["text"]
    assert through == direct
    [line] = recorder.exchanges(1)
    assert (line["method"], line["target"], line["status"], line["state"]) == ("POST", "/v1/chat/completions", 200, "complete")
    assert line["events"] == expected("01-openai-chat-text")["n_events"]


def test_openai_non_streaming_json_is_the_same(upstream, recorder):
    def ask(base):
        client = openai.OpenAI(base_url=base + "/v1", api_key="sk-x", max_retries=0)
        return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]).model_dump()
    assert ask(recorder.url) == ask(upstream.url)
    assert recorder.exchanges(1)[0]["events"] == 0


def test_openai_responses_stream_events_are_the_same(upstream, recorder):
    def events(base):
        client = openai.OpenAI(base_url=base + "/v1", api_key="sk-x", max_retries=0)
        return [e.model_dump() for e in client.responses.create(model="gpt-4o-mini", input="ping", stream=True)]
    direct = events(upstream.url)
    assert len(direct) == expected("04-openai-responses-text")["n_events"]
    assert events(recorder.url) == direct


def test_anthropic_messages_stream_is_the_same(upstream, recorder):
    def text(base):
        client = anthropic.Anthropic(base_url=base, api_key="sk-ant-x", max_retries=0)
        with client.messages.stream(model="claude-haiku-4-5", max_tokens=100, messages=[{"role": "user", "content": "hi"}]) as s:
            return "".join(s.text_stream), s.get_final_message().model_dump()
    direct = text(upstream.url)
    assert direct[0] == expected("11-anthropic-thinking-haiku")["text"]
    assert text(recorder.url) == direct


def test_gemini_stream_is_the_same(upstream, recorder):
    def text(base):
        client = genai.Client(api_key="AIza-x", http_options=types.HttpOptions(base_url=base))
        return "".join(c.text or "" for c in client.models.generate_content_stream(model="gemini-2.0-flash", contents="hi"))
    direct = text(upstream.url)
    assert direct == expected("14-gemini-text-crlf")["text"]
    assert text(recorder.url) == direct


@pytest.mark.parametrize("status, error", [(429, openai.RateLimitError), (500, openai.InternalServerError), (401, openai.AuthenticationError)])
def test_openai_sdk_sees_the_same_error_status(upstream, recorder, status, error):
    def fail(base):
        client = openai.OpenAI(base_url=f"{base}/status/{status}", api_key="sk-x", max_retries=0)
        with pytest.raises(error) as caught:
            client.models.list()
        return caught.value.status_code, caught.value.body
    assert fail(recorder.url) == fail(upstream.url)
    assert recorder.exchanges(1)[0]["status"] == status


def test_a_cut_stream_is_an_error_for_the_sdk_as_it_is_directly(upstream, recorder):
    def read(base):
        client = openai.OpenAI(base_url=base + "/reset", api_key="sk-x", max_retries=0)
        with client.with_streaming_response.models.list() as response:
            with pytest.raises(Exception) as caught:
                for _ in response.iter_bytes():
                    pass
            return caught.value
    # Directly the fake upstream's RST is a ReadError; through the recorder the chunked body simply
    # never gets its last chunk. Either way the SDK raises instead of returning a truncated answer.
    # (The SDK's HTTP stack may be httpx or its fork; compare by name.)
    assert type(read(upstream.url)).__name__ == "ReadError"
    through = read(recorder.url)
    assert type(through).__name__ == "RemoteProtocolError"
    assert "incomplete chunked read" in str(through)
    [line] = recorder.exchanges(1)
    assert line["state"] == "upstream_reset" and line["error"]


def test_an_unreachable_upstream_is_a_502_with_a_streamtape_error(record):
    r = record("--upstream", "http://127.0.0.1:1")
    client = openai.OpenAI(base_url=r.url + "/v1", api_key="sk-x", max_retries=0)
    with pytest.raises(openai.APIStatusError) as caught:
        client.models.list()
    assert caught.value.status_code == 502
    assert caught.value.body["type"] == "streamtape_upstream_error"
    assert "127.0.0.1" in caught.value.body["message"]
    assert r.exchanges(1)[0]["state"] == "upstream_error"
