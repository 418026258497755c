"""The README's console examples, run as a reader would run them, must print what the README shows.

The ```console blocks between "## Looking at captures" and "## Inspecting" are one bash session in a
fresh folder (with a copy of `captures/`, so the default archive starts empty): each `$ command` runs in turn and its
output must equal the lines the README prints under it. `streamtape replay` runs in the background;
its port is whatever port 0 gave, written back as the README's port before comparing.
"""
import os
import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("STREAMTAPE_BIN", str(ROOT / ".build" / "debug" / "streamtape"))
MARK = "@@streamtape-readme-end@@"


def console_blocks():
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Looking at captures"):text.index("## Inspecting")]
    return re.findall(r"```console\n(.*?)```", section, re.S)


def parse(block):
    """[(command, expected output lines)] of one block."""
    steps = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return steps


def script_for(steps, readme_port):
    """One bash script: each command, then a marker line; $? and PIPESTATUS carry over as a reader sees them."""
    out = ["set +e", "exec 2>&1", "__ps=(0)"]  # a reader sees stderr too
    for command, _ in steps:
        if command.startswith("streamtape replay"):
            # The server runs in the background; its first line (the URL) is the command's output.
            cmd = command.split("#")[0].strip()
            out.append(f"{cmd} > \"$TMP/replay.out\" 2> \"$TMP/replay.err\" & __replay=$!")
            out.append('for _ in $(seq 200); do grep -q listening "$TMP/replay.out" && break; sleep 0.05; done')
            out.append('__port=$(sed -n "s/.*127.0.0.1:\\([0-9]*\\).*/\\1/p" "$TMP/replay.out")')
            out.append(f'sed "s/127.0.0.1:$__port/127.0.0.1:{readme_port}/" "$TMP/replay.out"')
        else:
            cmd = command.replace("${PIPESTATUS[0]}", "${__ps[0]}")
            if readme_port:
                cmd = cmd.replace(f"127.0.0.1:{readme_port}", "127.0.0.1:$__port")
            out.append(f"(exit ${{__ps[-1]}}); {cmd}")
        out.append('__ps=("${PIPESTATUS[@]}")')
        out.append(f"printf '\\n{MARK}\\n'")
    out.append('[ -n "${__replay:-}" ] && kill $__replay && wait $__replay 2>/dev/null')
    return "\n".join(out) + "\n"


def run_examples(tmp_path):
    """[(command, README lines, lines printed now)] for every example command, in order."""
    blocks = console_blocks()
    steps = [step for block in blocks for step in parse(block)]
    port = re.search(r"listening on http://127\.0\.0\.1:(\d+)", "".join(blocks))
    # A copy, not a link: the examples write the default archive, captures/streamtape.sqlite.
    shutil.copytree(ROOT / "captures", tmp_path / "captures", ignore=shutil.ignore_patterns("*.sqlite*"))
    env = dict(os.environ, PATH=f"{pathlib.Path(BIN).parent}:{os.environ['PATH']}", TMP=str(tmp_path), COLUMNS="80")
    env.pop("STREAMTAPE_ARCHIVE", None)
    run = subprocess.run(["bash", "-c", script_for(steps, port.group(1) if port else None)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    outputs = run.stdout.split(f"\n{MARK}\n")
    assert len(outputs) == len(steps) + 1, run.stderr
    return [(command, expected, got.rstrip("\n").split("\n") if got.rstrip("\n") else [])
            for (command, expected), got in zip(steps, outputs)]


def test_readme_console_examples_print_what_the_readme_shows(tmp_path):
    for command, expected, got in run_examples(tmp_path):
        assert got == expected, f"$ {command}"


if __name__ == "__main__":
    # `python3 Tests/python/test_readme.py` prints the examples as they run now, to update the README.
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        for command, expected, got in run_examples(pathlib.Path(d)):
            print(("  " if got == expected else "≠ ") + "$ " + command)
            if got:
                print("\n".join(got))
