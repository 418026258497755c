"""Record modes, cassettes on disk, and the failure report of a request no recording matches, through
pytester (in process) with a plain httpx client against the fake provider."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from fake_provider import FakeProvider

CLIENT = '''
import json, os, httpx, pytest

QUESTION = os.environ.get("QUESTION", "first")
# Keep-alive, as the SDKs: a client that hangs up right after the body can beat the upstream's end.
HTTP = httpx.Client()

def ask(content):
    answer = HTTP.post(os.environ["OPENAI_BASE_URL"] + "/chat/completions",
                       json={"model": "m", "messages": [{"role": "user", "content": content}]},
                       headers={"authorization": "Bearer " + os.environ["OPENAI_API_KEY"]})
    answer.raise_for_status()
    return answer.json()["choices"][0]["message"]["content"]
'''

TWO_QUESTIONS = CLIENT + '''
@pytest.mark.streamtape(instant=True)
def test_two():
    assert ask(QUESTION) == "Hello from JSON."
    assert ask("second") == "Hello from JSON."
'''

SECRET = "sk-proj-SECRET0123456789"


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A project with test_two (two questions) and an API key that must never reach a cassette."""
    pytester.makepyfile(test_x=TWO_QUESTIONS)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    return pytester


def cassette(pytester: pytest.Pytester, test: str = "test_two") -> Path:
    return pytester.path / "cassettes" / "test_x" / test


def tape_questions(folder: Path) -> list[tuple[str, str]]:
    """(file name, first user message) of each tape of a cassette."""
    out = []
    for tape in sorted(folder.iterdir()):
        head = json.loads(tape.read_text().splitlines()[0])
        out.append((tape.name, json.loads(head["request"]["body"])["messages"][0]["content"]))
    return out


def record(pytester: pytest.Pytester, provider: FakeProvider, *args: str) -> pytest.RunResult:
    return pytester.runpytest("--streamtape-mode=once", "--streamtape-upstream", provider.url, *args)


def test_once_records_tapes_in_request_order_and_none_replays_them_without_the_upstream(project, provider):
    record(project, provider).assert_outcomes(passed=1)
    folder = cassette(project)
    assert tape_questions(folder) == [("001.tape.jsonl", "first"), ("002.tape.jsonl", "second")]
    assert len(provider.requests) == 2
    assert all(SECRET in {k.lower(): v for k, v in r["headers"]}["authorization"] for r in provider.requests)
    for tape in folder.iterdir():
        assert SECRET not in tape.read_text() and "redacted:" in tape.read_text()
    provider.close()
    project.runpytest().assert_outcomes(passed=1)
    # once with the cassette present replays only: no upstream needed, nothing added
    project.runpytest("--streamtape-mode=once").assert_outcomes(passed=1)
    assert [name for name, _ in tape_questions(folder)] == ["001.tape.jsonl", "002.tape.jsonl"]


def test_mode_none_without_a_cassette_fails_the_test_saying_how_to_record(project):
    result = project.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"no cassette at {cassette(project)} (record mode none only replays); "
                                 "record it with --streamtape-mode=once"])


def test_recording_without_an_upstream_fails_naming_the_option(project):
    result = project.runpytest("--streamtape-mode=new_episodes")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["record mode new_episodes records * but no upstream is set: give "
                                 "--streamtape-upstream URL (or a preset such as openai) or the marker's upstream="])


def test_a_changed_request_fails_with_the_closest_recording_in_the_tests_own_report(project, provider, monkeypatch):
    record(project, provider).assert_outcomes(passed=1)
    monkeypatch.setenv("QUESTION", "changed")
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*httpx.HTTPStatusError: Client error '404 Not Found' for url *",
        "*streamtape: no recording matched*",
        f"1 request(s) matched no recording of cassette {cassette(project)}:",
        "- no recorded exchange matches POST /v1/chat/completions (match mode request)",
        "  closest: 001.tape.jsonl (POST /v1/chat/completions)",
        '    body $.messages[0].content: got "changed", recorded "first"',
        "Re-record with --streamtape-mode=rewrite (or new_episodes to add the new requests).",
        "FAILED test_x.py::test_two - httpx.HTTPStatusError: Client error*",
    ])
    assert len(provider.requests) == 2  # nothing reached the upstream


def test_a_miss_the_test_swallows_still_fails_it(project, provider):
    record(project, provider).assert_outcomes(passed=1)
    project.makepyfile(test_x=CLIENT + '''
@pytest.mark.streamtape(cassette="test_two")
def test_swallows():
    try:
        ask("never recorded")
    except Exception:
        pass
''')
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["1 request(s) matched no recording of cassette *test_two:",
                                 '    body $.messages[0].content: got "never recorded", recorded "first"'])


def test_new_episodes_adds_the_misses_as_the_next_tapes(project, provider, monkeypatch):
    record(project, provider).assert_outcomes(passed=1)
    monkeypatch.setenv("QUESTION", "third")
    project.runpytest("--streamtape-mode=new_episodes", "--streamtape-upstream", provider.url).assert_outcomes(passed=1)
    assert tape_questions(cassette(project)) == [("001.tape.jsonl", "first"), ("002.tape.jsonl", "second"),
                                                 ("003.tape.jsonl", "third")]
    assert len(provider.requests) == 3  # "second" was replayed


def test_all_records_every_request_again_after_the_existing_tapes(project, provider):
    record(project, provider).assert_outcomes(passed=1)
    project.runpytest("--streamtape-mode=all", "--streamtape-upstream", provider.url).assert_outcomes(passed=1)
    assert [q for _, q in tape_questions(cassette(project))] == ["first", "second", "first", "second"]
    assert len(provider.requests) == 4


def test_rewrite_deletes_the_cassette_then_records(project, provider, monkeypatch):
    record(project, provider).assert_outcomes(passed=1)
    monkeypatch.setenv("QUESTION", "new")
    project.runpytest("--streamtape-mode=rewrite", "--streamtape-upstream", provider.url).assert_outcomes(passed=1)
    assert tape_questions(cassette(project)) == [("001.tape.jsonl", "new"), ("002.tape.jsonl", "second")]


def test_the_ini_option_sets_the_mode(project, provider):
    project.makeini("[pytest]\nstreamtape_mode = once\n")
    project.runpytest("--streamtape-upstream", provider.url).assert_outcomes(passed=1)
    assert len(tape_questions(cassette(project))) == 2


def test_the_markers_upstream_records_without_the_command_line_option(project, provider):
    project.makepyfile(test_x=CLIENT + f'''
@pytest.mark.streamtape(upstream="{provider.url}")
def test_two():
    assert ask("first") == "Hello from JSON."
''')
    project.runpytest("--streamtape-mode=once").assert_outcomes(passed=1)
    assert tape_questions(cassette(project)) == [("001.tape.jsonl", "first")]


def test_repeat_serves_one_recording_three_times(project, provider):
    three = CLIENT + '''
@pytest.mark.streamtape(instant=True, repeat=REPEAT)
def test_three():
    assert [ask("same") for _ in range(3)] == ["Hello from JSON."] * 3
'''
    project.makepyfile(test_x=three.replace("REPEAT", "True"))
    record(project, provider).assert_outcomes(passed=1)
    assert tape_questions(cassette(project, "test_three")) == [("001.tape.jsonl", "same")]
    assert len(provider.requests) == 1
    project.runpytest().assert_outcomes(passed=1)
    project.makepyfile(test_x=three.replace("REPEAT", "False"))
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["- all 1 recorded exchange(s) matching POST /v1/chat/completions were already served*"])


def test_cassette_and_faults_replay_another_tests_recording_broken(project, provider):
    record(project, provider).assert_outcomes(passed=1)
    project.makepyfile(test_x=CLIENT + '''
@pytest.mark.streamtape(cassette="test_two", faults=["status=429"])
def test_rate_limited():
    with pytest.raises(httpx.HTTPStatusError) as caught:
        ask("first")
    assert caught.value.response.status_code == 429
    assert caught.value.response.json()["error"]["code"] == "rate_limit_exceeded"
''')
    project.runpytest().assert_outcomes(passed=1)
    assert not cassette(project, "test_rate_limited").exists()


def test_the_fixture_sets_the_sdk_variables_for_the_test_and_restores_them(project, provider, monkeypatch):
    record(project, provider).assert_outcomes(passed=1)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://before")
    monkeypatch.delenv("GOOGLE_GEMINI_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY")
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    project.makepyfile(test_x=CLIENT + '''
@pytest.mark.streamtape(cassette="test_two")
def test_inside(streamtape):
    assert streamtape.url.startswith("http://127.0.0.1:")
    assert os.environ["OPENAI_BASE_URL"] == streamtape.url + "/v1"
    assert os.environ["ANTHROPIC_BASE_URL"] == streamtape.url
    assert os.environ["GOOGLE_GEMINI_BASE_URL"] == streamtape.url
    assert os.environ["OPENAI_API_KEY"] == os.environ["GEMINI_API_KEY"] == "streamtape-replay"
    assert streamtape.cassette.name == "test_two" and streamtape.mode.value == "none"
    assert [t.name for t in streamtape.tapes] == ["001.tape.jsonl", "002.tape.jsonl"]

def test_after():
    assert os.environ["ANTHROPIC_BASE_URL"] == "http://before"
    assert "GOOGLE_GEMINI_BASE_URL" not in os.environ and "OPENAI_API_KEY" not in os.environ
''')
    project.runpytest().assert_outcomes(passed=2)


def test_a_request_made_twice_is_recorded_twice_and_replayed_in_order(project, provider):
    project.makepyfile(test_x=CLIENT + '''
@pytest.mark.streamtape(instant=True)
def test_twice():
    assert [ask("same"), ask("same")] == ["Hello from JSON."] * 2
''')
    record(project, provider).assert_outcomes(passed=1)
    assert tape_questions(cassette(project, "test_twice")) == [("001.tape.jsonl", "same"), ("002.tape.jsonl", "same")]
    assert len(provider.requests) == 2
    project.runpytest().assert_outcomes(passed=1)


def test_a_server_that_cannot_start_fails_the_test_with_the_binarys_message(project, provider):
    cassette(project).parent.mkdir(parents=True)
    cassette(project).write_text("a file where the cassette folder should be")
    result = record(project, provider)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"streamtape replay did not start for {cassette(project)}: streamtape: cannot create {cassette(project)}:*"])


def test_a_class_marker_covers_its_tests_and_names_their_cassettes(project, provider):
    project.makepyfile(test_x=CLIENT + '''
@pytest.mark.streamtape(instant=True)
class TestChat:
    @pytest.mark.parametrize("who", ["a", "b"])
    def test_one(self, who):
        assert ask(who) == "Hello from JSON."
''')
    record(project, provider).assert_outcomes(passed=2)
    root = project.path / "cassettes" / "test_x"
    assert sorted(p.name for p in root.iterdir()) == ["TestChat.test_one[a]", "TestChat.test_one[b]"]
    assert tape_questions(root / "TestChat.test_one[b]") == [("001.tape.jsonl", "b")]
