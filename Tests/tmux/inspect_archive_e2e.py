#!/usr/bin/env python3
"""End-to-end test of `streamtape inspect` on the archive, driven through tmux (see tmuxdrive.py).

Imports two sample tapes from captures/ into a temporary archive with the binary at
$STREAMTAPE_BIN, opens the exchange list, filters it, opens the exchange with a mid-stream
`overloaded_error`, reaches the finding with n, goes back to the list and quits; then opens an
exchange by id and a tape file directly. Builds nothing; stops by itself.
"""
import os
import subprocess
import sys
import tempfile

from tmuxdrive import BIN, ROOT, check, keys, start, stop, summary


def main():
    tapes = [os.path.join(ROOT, "captures", n) for n in ("openai-chat-text.tape.jsonl", "anthropic-error-event.tape.jsonl")]
    with tempfile.TemporaryDirectory() as tmp:
        archive = os.path.join(tmp, "a.sqlite")
        subprocess.run([BIN, "import", "--archive", archive, *tapes], check=True, capture_output=True, timeout=30)
        try:
            start(f"--archive {archive}", width=100, height=30)
            check("list title", r"^ " + archive.replace(".", r"\.") + r"  2 of 2 exchanges")
            check("list row", r"^ +2 .*POST /v1/messages +200 complete +460ms +7 ")
            keys("/", "a", "n", "t", "h", "Enter")
            check("filtered", r"  1 of 2 exchanges  filter: anth")
            keys("Enter")
            check("opened from the list", r"^#2  POST /v1/messages  200  complete  anthropic sse")
            keys("n")
            check("n reaches the error event", r"^◆ +6 .* error ")
            check("with Core's explanation", r"^✖ error-event .*overloaded_error")
            keys("t")
            check("what the user saw ends in the error", r"^error overloaded_error: ")
            keys("q")
            check("q goes back to the list", r"  1 of 2 exchanges  filter: anth")
            # s sorts by the columns on screen only, each marked with an arrow that fits its title.
            keys("Escape", "s")
            check("s sorts by the next column shown", r"^ sorted by request ↓")
            check("the arrow marks it", r"^ +id request↓ ")
            keys("s")
            check("status keeps its whole title beside the arrow", r" status↓ state ")
            keys("q")
            check("q again quits", r"^EXIT=0$")

            start(f"--archive {archive} 1")
            check("open by id", r"^#1  POST /v1/chat/completions  200  complete  openai-chat sse")
            keys("G", "t")
            check("assembled text by id", r"^text$")
            keys("q")
            check("by id quits", r"^EXIT=0$")

            # Wider, the list also shows the model asked for and the findings' codes.
            start(f"--archive {archive}", width=140)
            check("model, TTFC and findings", r"^ +2 POST /v1/messages +claude-sonnet-4-5 +200 complete +460ms +7 +621ms +1 error-event")
            keys("q")

            start(tapes[1])
            check("open a tape file", r"^ POST /v1/messages  200  complete  anthropic sse")
            keys("q")

            start(f"--archive {archive} 99")
            check("unknown id: one line, exit 3", r"^streamtape: .*99.*\n(.*\n)?EXIT=3$")
        finally:
            stop()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
