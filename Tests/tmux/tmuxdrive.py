"""Drives a terminal program in a private, fixed-size tmux session for the end-to-end tests:
`start` a command, `keys` to type, `screen` / `wait_for` / `check` to read the screen. Every wait is
bounded; `stop()` kills the private tmux server (and nothing else)."""
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
BIN = os.path.abspath(os.environ.get("STREAMTAPE_BIN", os.path.join(ROOT, ".build/debug/streamtape")))
FIXTURE = os.path.join(HERE, "fixtures", "anthropic-midstream-error.sse")
SOCKET = f"streamtape-e2e-{os.getpid()}"
failures = []


def tmux(*args, check=True):
    return subprocess.run(["tmux", "-L", SOCKET, "-f", "/dev/null", *args], capture_output=True, text=True,
                          check=check, timeout=10).stdout


def start(args, width=80, height=24, env=""):
    """Starts the inspector in a fresh session; after it exits the shell prints its exit code and
    whether the tty is back in canonical mode with echo (i.e. the terminal was restored)."""
    # A second session keeps the server alive across kill-session: when the last session goes, the
    # server exits, and a new-session racing that exit fails with "server exited unexpectedly".
    tmux("new-session", "-d", "-s", "keep", "sleep", "600", check=False)
    tmux("kill-session", "-t", "e2e", check=False)
    cmd = (f"{env} {BIN} inspect {args}; echo EXIT=$?; "
           "stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' ' '; echo; sleep 60")
    tmux("new-session", "-d", "-s", "e2e", "-x", str(width), "-y", str(height), "sh", "-c", cmd)
    tmux("set-option", "-t", "e2e", "window-size", "manual")


def screen(escapes=False):
    return tmux("capture-pane", "-p", *(["-e"] if escapes else []), "-t", "e2e")


def keys(*ks):
    for k in ks:
        tmux("send-keys", "-t", "e2e", *( ["-l", k] if len(k) == 1 else [k]))
        time.sleep(0.05)


def wait_for(pattern, timeout=5.0, escapes=False):
    """Waits until the screen matches `pattern` (regex); returns the screen either way."""
    deadline = time.time() + timeout
    text = screen(escapes)
    while time.time() < deadline:
        if re.search(pattern, text, re.M):
            return text
        time.sleep(0.05)
        text = screen(escapes)
    return text


def check(name, pattern, timeout=5.0, escapes=False):
    text = wait_for(pattern, timeout, escapes)
    if re.search(pattern, text, re.M):
        print(f"ok   {name}")
        return text
    failures.append(name)
    print(f"FAIL {name}: /{pattern}/ not on screen:\n{text}", file=sys.stderr)
    return text


def check_absent(name, pattern, text):
    if re.search(pattern, text, re.M):
        failures.append(name)
        print(f"FAIL {name}: /{pattern}/ unexpectedly on screen:\n{text}", file=sys.stderr)
    else:
        print(f"ok   {name}")




def stop():
    tmux("kill-server", check=False)


def summary():
    """Prints the outcome and returns the script's exit status (1 when any check failed)."""
    print(f"{'FAILED' if failures else 'passed'}: {len(failures)} failure(s)")
    return 1 if failures else 0
