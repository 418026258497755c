"""The example project (python/examples) end to end: its tests call the official openai, anthropic and
google-genai SDKs. Run 1 (mode once) records against a fake provider; run 2, with the fake stopped and
no API key set, replays and gives identical results; no credential reaches a cassette; a changed
request fails naming the closest recording; rewrite records it again."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from fake_provider import FakeProvider

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SECRETS = {"OPENAI_API_KEY": "sk-proj-EXAMPLESECRET0001", "ANTHROPIC_API_KEY": "sk-ant-EXAMPLESECRET0002",
           "GEMINI_API_KEY": "AIzaEXAMPLESECRET0003"}
CASSETTES = ["test_anthropic_message[json]", "test_anthropic_message[stream]", "test_gemini_generate[json]",
             "test_gemini_generate[stream]", "test_openai_chat[json]", "test_openai_chat[stream]",
             "test_same_question_three_times"]
SPAIN = "What is the capital of Spain?"


def run(project: Path, *args: str, results: Path | None = None, keys: bool = False,
        question: str | None = None) -> subprocess.CompletedProcess[str]:
    """pytest in the example project, in a child process, as a user runs it."""
    env = {k: v for k, v in os.environ.items()
           if k not in SECRETS and k not in ("GOOGLE_API_KEY", "EXAMPLE_RESULTS", "EXAMPLE_QUESTION")}
    env.update(SECRETS if keys else {})
    if results is not None:
        results.mkdir()
        env["EXAMPLE_RESULTS"] = str(results)
    if question is not None:
        env["EXAMPLE_QUESTION"] = question
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=project,
                          env=env, capture_output=True, text=True, timeout=300)


def contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """The example project copied without cassettes, after run 1 recorded them (the fake is stopped)."""
    project = tmp_path_factory.mktemp("example") / "project"
    shutil.copytree(EXAMPLES, project, ignore=shutil.ignore_patterns("cassettes", "__pycache__"))
    provider = FakeProvider()
    try:
        results = project.parent / "run1"
        first = run(project, "--streamtape-mode=once", "--streamtape-upstream", provider.url, results=results, keys=True)
        assert first.returncode == 0, first.stdout + first.stderr
        assert len(provider.requests) == 7  # one per cassette: the fault tests replay, repeat=True asks once
    finally:
        provider.close()
    yield project, contents(results)


def test_run_2_replays_the_recording_with_identical_results_and_no_upstream(recorded):
    project, first = recorded
    assert sorted(first) == ["anthropic-False.txt", "anthropic-True.txt", "gemini-False.txt", "gemini-True.txt",
                             "openai-False.txt", "openai-True.txt", "repeat.txt"]
    results = project.parent / "run2"
    second = run(project, results=results)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "11 passed" in second.stdout
    assert contents(results) == first


def test_each_test_has_one_tape_and_no_credential(recorded):
    project, _ = recorded
    root = project / "cassettes" / "test_sdks"
    assert sorted(p.name for p in root.iterdir()) == CASSETTES
    for name in CASSETTES:
        tapes = sorted(p.name for p in (root / name).iterdir())
        assert tapes == ["001.tape.jsonl"], name
        text = (root / name / "001.tape.jsonl").read_text()
        assert not [s for s in SECRETS.values() if s in text], name
        head = json.loads(text.splitlines()[0])
        credentials = [v for k, v in head["request"]["headers"] if k.lower() in ("authorization", "x-api-key", "x-goog-api-key")]
        assert len(credentials) == 1 and "redacted:" in credentials[0], (name, credentials)


def test_a_changed_request_fails_naming_the_closest_recording_and_rewrite_records_it(recorded, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(recorded[0], project)
    changed = run(project, "-k", "test_openai_chat and json", question=SPAIN)
    assert changed.returncode == 1
    assert ("- no recorded exchange matches POST /v1/chat/completions (match mode request)\n"
            "  closest: 001.tape.jsonl (POST /v1/chat/completions)\n"
            f'    body $.messages[0].content: got "{SPAIN}", recorded "What is the capital of France?"\n') in changed.stdout
    provider = FakeProvider()
    try:
        rewrite = run(project, "-k", "test_openai_chat and json", "--streamtape-mode=rewrite",
                      "--streamtape-upstream", provider.url, keys=True, question=SPAIN)
        assert rewrite.returncode == 0, rewrite.stdout
        assert len(provider.requests) == 1
    finally:
        provider.close()
    folder = project / "cassettes" / "test_sdks" / "test_openai_chat[json]"
    assert sorted(p.name for p in folder.iterdir()) == ["001.tape.jsonl"]
    body = json.loads(json.loads((folder / "001.tape.jsonl").read_text().splitlines()[0])["request"]["body"])
    assert body["messages"][0]["content"] == SPAIN
    assert run(project, "-k", "test_openai_chat and json", question=SPAIN).returncode == 0
