"""Rebuild what a user saw from a replayed stream with the official SDKs (max_retries=0).

Each function returns {"text", "reasoning", "tool_calls": [{"id", "name", "arguments"}], "stop"}
following the corpus README's assembly conventions; SDK exceptions propagate unchanged."""
import json

import anthropic
import httpx
import openai
from google import genai
from google.genai import types


def _result(text, reasoning, tools, stop):
    return {"text": "".join(text), "reasoning": "".join(reasoning), "tool_calls": tools, "stop": stop}


def openai_client(url, **kw):
    return openai.OpenAI(base_url=url + "/v1", api_key="sk-test", max_retries=0, **kw)


def openai_chat(url, **kw):
    stream = openai_client(url, **kw).chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], stream=True)
    text, reasoning, tools, stop = [], [], {}, None
    for chunk in stream:
        if not chunk.choices:
            continue
        choice = chunk.choices[0]
        delta = choice.delta
        if isinstance(delta.content, str):
            text.append(delta.content)
        elif isinstance(delta.content, list):  # Mistral sends a list of parts
            for part in delta.content:
                if part.get("type") == "text":
                    text.append(part["text"])
                elif part.get("type") == "thinking":
                    reasoning += [p["text"] for p in part["thinking"] if p.get("type") == "text"]
        extra = delta.model_extra or {}
        for key in ("reasoning_content", "reasoning"):
            if isinstance(extra.get(key), str):
                reasoning.append(extra[key])
        for call in delta.tool_calls or []:
            slot = tools.setdefault(call.index, {"id": None, "name": "", "arguments": ""})
            if call.id:
                slot["id"] = call.id
            if call.function and call.function.name:
                slot["name"] += call.function.name
            if call.function and call.function.arguments:
                slot["arguments"] += call.function.arguments
        if choice.finish_reason:
            stop = choice.finish_reason
    return _result(text, reasoning, [tools[i] for i in sorted(tools)], stop)


def openai_responses(url, **kw):
    stream = openai_client(url, **kw).responses.create(model="gpt-4o-mini", input="hi", stream=True)
    text, reasoning, calls, stop = [], [], {}, None
    for event in stream:
        t = event.type
        if t == "response.output_text.delta":
            text.append(event.delta)
        elif t in ("response.reasoning_summary_text.delta", "response.reasoning_text.delta"):
            reasoning.append(event.delta)
        elif t == "response.output_item.added" and event.item.type == "function_call":
            calls[event.item.id] = {"id": event.item.call_id, "name": event.item.name, "arguments": ""}
        elif t == "response.function_call_arguments.delta":
            calls[event.item_id]["arguments"] += event.delta
        elif t in ("response.completed", "response.incomplete", "response.failed"):
            stop = event.response.status
    return _result(text, reasoning, list(calls.values()), stop)


def anthropic_messages(url, **kw):
    client = anthropic.Anthropic(base_url=url, api_key="sk-ant-test", max_retries=0, **kw)
    stream = client.messages.create(model="claude-replay-test", max_tokens=1024,
                                    messages=[{"role": "user", "content": "hi"}], stream=True)
    text, reasoning, blocks, stop = [], [], {}, None
    for event in stream:
        if event.type == "content_block_start" and event.content_block.type in ("tool_use", "server_tool_use", "mcp_tool_use"):
            blocks[event.index] = {"id": event.content_block.id, "name": event.content_block.name, "arguments": ""}
        elif event.type == "content_block_delta":
            d = event.delta
            if d.type == "text_delta":
                text.append(d.text)
            elif d.type == "thinking_delta":
                reasoning.append(d.thinking)
            elif d.type == "input_json_delta" and event.index in blocks:
                blocks[event.index]["arguments"] += d.partial_json
        elif event.type == "message_delta":
            stop = event.delta.stop_reason
    return _result(text, reasoning, [blocks[i] for i in sorted(blocks)], stop)


def gemini_client(url, timeout_ms=None):
    options = types.HttpOptions(base_url=url, timeout=timeout_ms, retry_options=types.HttpRetryOptions(attempts=1))
    return genai.Client(api_key="test-key", http_options=options)


def gemini_stream(url, **kw):
    text, reasoning, tools, stop = [], [], [], None
    client = gemini_client(url, **kw)  # keep a reference: a dropped Client closes its HTTP connection
    for chunk in client.models.generate_content_stream(model="gemini-2.5-flash", contents="hi"):
        cand = chunk.candidates[0] if chunk.candidates else None
        parts = cand.content.parts if cand and cand.content and cand.content.parts else []
        for part in parts:
            if part.text:
                (reasoning if part.thought else text).append(part.text)
            if part.function_call:
                tools.append({"id": part.function_call.id, "name": part.function_call.name,
                              "arguments": json.dumps(part.function_call.args, sort_keys=True)})
        if cand and cand.finish_reason:
            stop = cand.finish_reason.value
    return _result(text, reasoning, tools, stop)


BY_DIALECT = {
    "openai-chat": openai_chat,
    "openai-responses": openai_responses,
    "anthropic": anthropic_messages,
    "gemini": gemini_stream,
}
