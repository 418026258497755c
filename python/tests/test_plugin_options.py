"""Bad option values are one clear pytest usage error (exit 4), never a traceback; a missing binary
names STREAMTAPE_BIN and PATH."""
from __future__ import annotations

import pytest

MARKED = """
import pytest

@pytest.mark.streamtape({args})
def test_x():
    pass
"""


def usage_error(result: pytest.RunResult) -> str:
    """The one `ERROR:` line of a usage error; asserts exit 4 and no traceback."""
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    text = "\n".join(result.errlines + result.outlines)
    assert "Traceback" not in text
    return "\n".join(line for line in result.errlines if line.startswith("ERROR:"))


def test_an_unknown_mode_on_the_command_line_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(MARKED.format(args=""))
    result = pytester.runpytest("--streamtape-mode=sometimes")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--streamtape-mode: invalid choice: 'sometimes' (choose from *none*once*new_episodes*all*rewrite*"])


def test_an_unknown_mode_in_the_ini_file_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nstreamtape_mode = sometimes\n")
    pytester.makepyfile(MARKED.format(args=""))
    line = usage_error(pytester.runpytest())
    assert line == "ERROR: streamtape_mode = 'sometimes' is not a record mode (one of none, once, new_episodes, all, rewrite)"


def test_an_unknown_fault_is_a_usage_error_with_the_binarys_message(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(MARKED.format(args='faults=["cut@3", "explode@2"]'))
    line = usage_error(pytester.runpytest())
    assert line.startswith("ERROR: test_an_unknown_fault_is_a_usage_error_with_the_binarys_message.py::test_x: "
                           "streamtape marker: bad fault 'explode@2': expected one of cut@N")


def test_a_bad_speed_and_an_unknown_match_mode_are_usage_errors(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(MARKED.format(args="speed=0"))
    assert usage_error(pytester.runpytest()).endswith(
        "streamtape marker: --speed must be a number from 0.001 up (2 is twice as fast), got 0")
    pytester.makepyfile(MARKED.format(args='match="fuzzy"'))
    assert "fuzzy" in usage_error(pytester.runpytest())


def test_an_unknown_marker_argument_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(MARKED.format(args='fault="cut@3"'))
    line = usage_error(pytester.runpytest())
    assert line == ("ERROR: test_an_unknown_marker_argument_is_a_usage_error.py::test_x: unknown streamtape marker "
                    "argument fault= (known: cassette, faults, ignore_fields, instant, match, repeat, speed, upstream)")


def test_a_bad_upstream_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(MARKED.format(args=""))
    line = usage_error(pytester.runpytest("--streamtape-mode=once", "--streamtape-upstream", "ftp://x"))
    assert 'upstream "ftp://x" is not an http:// or https:// URL' in line


def test_a_missing_binary_names_streamtape_bin_and_path(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makepyfile(MARKED.format(args=""))
    monkeypatch.delenv("STREAMTAPE_BIN")
    monkeypatch.setenv("PATH", str(pytester.path))
    line = usage_error(pytester.runpytest())
    assert line == ("ERROR: pytest-streamtape: the streamtape binary was not found: set STREAMTAPE_BIN to its path "
                    "or put streamtape on PATH (build it with `swift build --product streamtape`)")
    monkeypatch.setenv("STREAMTAPE_BIN", str(pytester.path / "nope"))
    line = usage_error(pytester.runpytest())
    assert line.startswith(f"ERROR: pytest-streamtape: STREAMTAPE_BIN is '{pytester.path / 'nope'}', which is not an executable file")
