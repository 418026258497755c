"""The "application" under test: small functions over the official SDKs, configured only by the
environment (base URLs and keys), as real code is."""
from __future__ import annotations

import os

import anthropic
import openai
from google import genai


def question() -> str:
    return os.environ.get("EXAMPLE_QUESTION", "What is the capital of France?")


def openai_chat(stream: bool) -> str:
    client = openai.OpenAI(max_retries=0)
    messages = [{"role": "user", "content": question()}]
    if not stream:
        return client.chat.completions.create(model="gpt-4o-mini", messages=messages).choices[0].message.content or ""
    chunks = client.chat.completions.create(model="gpt-4o-mini", messages=messages, stream=True)
    return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)


def anthropic_message(stream: bool) -> str:
    client = anthropic.Anthropic(max_retries=0)
    args = dict(model="claude-haiku-4-5", max_tokens=256, messages=[{"role": "user", "content": question()}])
    if not stream:
        return "".join(b.text for b in client.messages.create(**args).content if b.type == "text")
    with client.messages.stream(**args) as events:
        return "".join(events.text_stream)


def gemini_generate(stream: bool) -> str:
    client = genai.Client()
    if not stream:
        return client.models.generate_content(model="gemini-2.5-flash", contents=question()).text or ""
    chunks = client.models.generate_content_stream(model="gemini-2.5-flash", contents=question())
    return "".join(c.text or "" for c in chunks)
