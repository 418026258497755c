#!/usr/bin/env python3
"""End-to-end test of `streamtape inspect` in a real terminal, driven through tmux.

Builds nothing: runs the binary at $STREAMTAPE_BIN (default .build/debug/streamtape from the repo
root) in a detached tmux session of fixed size on a private tmux socket, types keys with
`send-keys`, reads the screen with `capture-pane`, and stops by itself: every wait is bounded and
the private tmux server is killed at the end. Exit status 0 when every check passed.

Fixture: fixtures/anthropic-midstream-error.sse (written for this test): an Anthropic stream whose
text deltas are followed by an `event: error` (overloaded_error). A raw body has no timing: the
inspector cuts it into --chunk-size byte chunks spaced --pace ms apart.
"""
import os
import re
import subprocess
import sys
import tempfile

from tmuxdrive import BIN, FIXTURE, ROOT, check, check_absent, failures, keys, screen, start, stop, summary, tmux


def signal_inspector(args, signum):
    """Sends `signum` to the newest inspector started with `args`; a missing one is a failure."""
    pid = subprocess.run(["pgrep", "-n", "-f", f"{BIN} inspect {args}"], capture_output=True, text=True).stdout.strip()
    if not pid:
        failures.append("find pid"); print("FAIL could not find the inspector's pid", file=sys.stderr)
        return False
    os.kill(int(pid), signum)
    return True


def main():
    if not os.access(BIN, os.X_OK):
        print(f"no binary at {BIN} (set STREAMTAPE_BIN)", file=sys.stderr)
        return 2
    try:
        # Without a terminal: one line, exit 2, pointing to `streamtape show`.
        r = subprocess.run([BIN, "inspect", FIXTURE], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=10)
        ok = r.returncode == 2 and r.stderr.count("\n") == 1 and "streamtape show" in r.stderr and r.stdout == ""
        print(("ok   " if ok else "FAIL ") + f"no terminal: exit {r.returncode}, {r.stderr.strip()!r}")
        if not ok:
            failures.append("no terminal")

        # A terminal ncurses cannot drive: one line, exit 4, the terminal untouched.
        start(f"{FIXTURE}", env="TERM=nosuch")
        check("unknown TERM: one line and exit 4", r"^streamtape( inspect)?: cannot open the terminal: ncurses does not know TERM=nosuch\nEXIT=4$")

        # Mid-stream provider error: n reaches the finding.
        start(f"--pace 20 {FIXTURE}")
        check("first screen", r"^ FILE anthropic-midstream-error\.sse  200  complete")
        check("findings counted", r"events 11 .*findings 1E")
        check("the title numbers the selected row as the rows do", r"^ event #0 of 11 +# +time")
        check("row #0 is the selected first row", r"^ +0 +0\.080s .*message_start")
        keys("j", "j", "j", "j", "j")
        text = check("the selection mark sits beside the gap chart's label", r"^0s +gaps, max \d+ms ▲ ")
        check_absent("no mark inside the label", r"gaps, [^m]ax|gaps,[^ ]|max \d+m[^s]", text)
        keys("x")
        check("hex offsets are hex", r"^0x0000 .*\n0x0010 ")
        keys("x")
        keys("n")
        check("n selects the error event", r"^◆ 10 +0\.440s +\+40ms error +96B")
        check("its finding is explained", r"^✖ error-event .*overloaded_error")
        check("status says which finding", r"^ finding 1 of 1")
        keys("r")
        check("raw view marks chunk cuts and line endings", r'^data: \{"type"┆:"error".*┆d$')
        keys("r", "t")
        check("text pane shows what the user saw", r"^Les chunks arrivent un par un — 日本語も表示できる。")
        check("and the error", r"^error overloaded_error: Overloaded")
        keys("t")

        # A body without events (an HTTP 429's JSON): shown as it is; e shows request and response.
        with tempfile.TemporaryDirectory() as tmp:
            tape = os.path.join(tmp, "limited.tape.jsonl")
            with open(tape, "w") as f:
                f.write('{"streamtape":1,"started":"2026-11-26T07:00:00.123Z","upstream":"https://api.openai.com",'
                        '"request":{"method":"POST","target":"/v1/chat/completions","headers":[["content-type","application/json"]],'
                        '"body":"{\\"stream\\":true}"},"response":{"status":429,"t":0.1,"headers":[["content-type","application/json"],'
                        '["retry-after","20"]]}}\n')
                # Pretty-printed over several lines, as OpenAI sends its errors.
                f.write('{"t":0.11,"text":"{\\n    \\"error\\": {\\n        \\"message\\": \\"Rate limit reached\\",\\n'
                        '        \\"type\\": \\"requests\\"\\n    }\\n}\\n"}\n')
                f.write('{"t":0.12,"end":"complete"}\n')
            start(tape, height=40)
            check("429 opened", r"^ POST /v1/chat/completions  429  complete")
            check("its body instead of only 'No events'", r"^  response body: \d+B, JSON\n  \{\n    \"error\": \{\n      \"message\": \"Rate limit reached\",")
            keys("e")
            check("e: request and response", r"request and response \(e back\)")
            check("e: the request with its headers and body", r"^  POST /v1/chat/completions\n  upstream https://api\.openai\.com\n  content-type: application/json\n  body: 15B, JSON")
            check("e: the response status and headers", r"^  429  headers at 0\.100s\n  content-type: application/json\n  retry-after: 20")
            keys("q")

        # OpenAI chunks: the previews show each chunk's delta, not the shared `{"id":"chatcmpl-` prefix.
        start(os.path.join(ROOT, "captures", "openai-chat-text.tape.jsonl"), width=100, height=30)
        text = check("openai previews show the text deltas", r'^ +1 .* "The"\n +2 .* " capital"\n')
        check_absent("no text chunk's preview starts with its id", r'^ +[1-9] .*\{"id":"chatcmpl', text)
        keys("G")
        check("and the finish reason", r"^ +9 .* stop: stop$")
        keys("q")
        start(f"--pace 20 {FIXTURE}")
        check("back to the fixture", r"^ FILE anthropic-midstream-error\.sse  200  complete")
        keys("n")

        # Help, generated from the key table; q closes it without quitting.
        keys("?")
        check("help screen", r"^streamtape inspect — keys")
        check("help lists play", r"^  space +play/pause the stream at its original pace")
        check("help lists the request view", r"^  e +request and response: headers and bodies")
        keys("q")
        check("help closed", r"^ event #10 — parsed")

        # Search in data.
        keys("g", "/", "p", "i", "n", "g", "Enter")
        check("search jumps to the match", r"^ /ping: event #2")
        check("search selects it", r"^ +2 +0\.120s .*ping")

        # Resize: side by side from 120 columns, stacked below; back to 80x24.
        tmux("resize-window", "-t", "e2e", "-x", "120", "-y", "30")
        check("wide layout puts the detail beside the timeline", r"^ event #2 of 11 .* event #2 — parsed")
        tmux("resize-window", "-t", "e2e", "-x", "60", "-y", "16")
        text = check("narrow layout still draws the header", r"^ FILE anthropic-midstream-error\.sse")
        if max(len(l) for l in text.splitlines()) > 60:
            failures.append("narrow layout fits")
            print("FAIL narrow layout wider than 60 columns", file=sys.stderr)
        tmux("resize-window", "-t", "e2e", "-x", "80", "-y", "24")
        check("back to 80x24", r"^ event #2 of 11 ")

        # Quit restores the terminal.
        keys("q")
        check("q quits with status 0", r"^EXIT=0$")
        check("terminal restored after q", r"^icanon echo\s*$")

        # Play at the original pace (100 ms between chunks: about 2.2 s) ends on the last event.
        start(f"--pace 100 {FIXTURE}")
        check("second run", r"^ FILE anthropic")
        keys("Space")
        check("playing", r"▶ ×1 *$", timeout=2)
        check("play reaches the end", r"^ end of stream", timeout=8)
        check("play selected the last event", r"^ event #10 of 11 ")
        keys("+")
        check("speed up", r"^ speed ×2")

        # Colours, and the NO_COLOR fallback (attributes only).
        colored = screen(escapes=True)
        if not re.search(r"\x1b\[(3[1-7]|9[1-7])m|\x1b\[[0-9;]*;3[1-7]m", colored):
            failures.append("colours used")
            print("FAIL no colour escapes without NO_COLOR", file=sys.stderr)
        else:
            print("ok   colours used")

        # SIGTERM restores the terminal too.
        if signal_inspector("--pace 100", 15):
            check("SIGTERM exits 143", r"^EXIT=143$")
            check("terminal restored after SIGTERM", r"^icanon echo\s*$")

        # A crash (here a SIGSEGV sent from outside) restores the terminal before dying.
        start(f"--pace 7 {FIXTURE}")
        check("third run", r"^ FILE anthropic")
        if signal_inspector("--pace 7", 11):
            check("SIGSEGV exits 139", r"^EXIT=139$")
            check("terminal restored after a crash", r"^icanon echo\s*$")

        # A large body: G shows the end at once (numbered from the end if the background index is
        # not there yet; whether it is depends on the machine), and the numbers settle when indexed.
        with tempfile.TemporaryDirectory() as tmp:
            big = os.path.join(tmp, "big.sse")
            with open(big, "w") as f:
                f.writelines(f'data: {{"n":{i}}}\n\n' for i in range(200_000))
                f.write("data: [DONE]\n\n")
            start(f"--pace 1 {big}")
            check("large body: first screen", r"^ FILE big\.sse  200  complete")
            keys("G")
            check("G shows the last event at once", r"^\[DONE\]$")
            check("G lands on the end", r"^ event (end|#200000 of 200001) ")
            check("numbers settle once indexed", r"^ event #200000 of 200001 ", timeout=60)
            check("the last event is 200000", r"^ +200000 .*\[DONE\]")
            keys("q")

        start(f"{FIXTURE}", env="NO_COLOR=1")
        check("NO_COLOR run", r"^ FILE anthropic")
        text = screen(escapes=True)
        check_absent("NO_COLOR draws no colours", r"\x1b\[(3[1-7]|9[1-7])m|\x1b\[[0-9;]*;3[1-7]m", text)
        check("NO_COLOR keeps the selection bar (reverse video)", r"\x1b\[[0-9;]*7m", escapes=True)
        keys("C-c")
        check("Ctrl-C quits with status 0", r"^EXIT=0$")
        check("terminal restored after Ctrl-C", r"^icanon echo\s*$")
    finally:
        stop()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
