#!/usr/bin/env python3
"""End-to-end test of `streamtape inspect --follow` on an exchange while `streamtape record` records it,
driven through tmux (see tmuxdrive.py).

A fake upstream on 127.0.0.1 (Tests/python/record/record_upstream.py, in this process) sends 24 SSE
events 300 ms apart, each `{"i":N,...}`; the real recorder proxies `curl -N` to it into a temporary
archive. While the stream runs, the inspector at 80x24 must show the event count growing, the newest
event (the one curl just received) on screen, `recording` and `● live`; once the stream ends, the
header must say `complete` with all 24 events. Then the list view (`inspect --follow` without id)
shows a second exchange `recording`, g Enter follows it to `complete`, and q shows it complete in the list. Every wait is bounded; the upstream,
the recorder, curl and the private tmux server are stopped in teardown. Builds nothing.
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

from tmuxdrive import BIN, ROOT, check, check_absent, failures, keys, screen, start, stop, summary, wait_for

sys.path.insert(0, os.path.join(ROOT, "Tests", "python", "record"))
from record_upstream import FakeUpstream  # noqa: E402

EVENTS, INTERVAL_MS = 24, 300


def expect(name, ok, detail=""):
    if ok:
        print(f"ok   {name}")
    else:
        failures.append(name)
        print(f"FAIL {name}: {detail}", file=sys.stderr)


class Recorder:
    """`streamtape record --listen 127.0.0.1:0` as a user starts it; the URL comes from its startup line."""

    def __init__(self, upstream, archive):
        self.proc = subprocess.Popen([BIN, "record", "--listen", "127.0.0.1:0", "--upstream", upstream, "--archive", archive],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines = []
        first = []
        got = threading.Event()

        def read():
            for line in self.proc.stdout:
                if not first:
                    first.append(line)
                    got.set()
                self.lines.append(line.rstrip("\n"))
            got.set()

        threading.Thread(target=read, daemon=True).start()
        got.wait(15)
        # streamtape record: listening on http://127.0.0.1:PORT, archive PATH, upstream URL
        m = re.match(r"streamtape record: listening on (http://127\.0\.0\.1:\d+), archive ", first[0] if first else "")
        if not m:
            self.stop()
            raise RuntimeError(f"no startup line from the recorder: {first!r} {self.proc.stderr.read()!r}")
        self.url = m.group(1)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Client:
    """`curl -sN` through the recorder in the background; `received()` counts the events it has got so far."""

    def __init__(self, url, out):
        self.out = out
        self.file = open(out, "wb")
        self.proc = subprocess.Popen(["curl", "-sN", "--max-time", "30", url], stdout=self.file, stderr=subprocess.DEVNULL)

    def received(self):
        with open(self.out, "rb") as f:
            return f.read().count(b"\n\n")

    def wait(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.file.close()


def exchanges(archive):
    out = subprocess.run([BIN, "list", "--json", "--archive", archive], capture_output=True, text=True, timeout=30)
    return [json.loads(l) for l in out.stdout.splitlines() if l.strip()]


def wait_exchange(archive, count, timeout=10.0):
    """The archive's rows once there are `count` of them (bounded)."""
    deadline = time.time() + timeout
    rows = exchanges(archive)
    while len(rows) < count and time.time() < deadline:
        time.sleep(0.1)
        rows = exchanges(archive)
    return rows


def header_events(text):
    m = re.search(r"^ TTFB .*  events (\d+)  chunks (\d+)", text, re.M)
    return int(m.group(1)) if m else None


def newest_on_screen(text):
    """The largest i among the `{"i":N` events shown (timeline previews and the detail pane)."""
    found = [int(n) for n in re.findall(r'\{"i":(\d+),', text)]
    return max(found) if found else None


def follow_one(archive, recorder, tmp):
    client = Client(recorder.url + f"/tick?n={EVENTS}&interval_ms={INTERVAL_MS}", os.path.join(tmp, "curl1.out"))
    try:
        rows = wait_exchange(archive, 1)
        expect("the recorder's exchange is listed while recording",
               len(rows) == 1 and rows[0]["state"] == "recording" and rows[0]["target"].startswith("/tick"), rows)
        if not rows:
            return
        xid = rows[0]["id"]
        start(f"{xid} --follow --archive {archive}", width=80, height=24)
        first = check("opens live: recording", rf"^#{xid}  GET /tick\?n={EVENTS}&interval_ms={INTERVAL_MS}  200  recording ", timeout=10)
        check("header says live", r"^ TTFB .*  ● live")
        check("the gap chart's end label keeps its unit beside the end mark", r"^0s .*gaps, max .* \d+(\.\d+)?m?s▲$")
        check("the status bar keeps whole key hints beside ⤓ end", r"^ \?:help .* space:play +⤓ end$")

        # Sample the screen while the stream runs: the count must grow, and the newest event on screen
        # must keep up with what curl has received at that moment.
        samples = []   # (header count, newest i on screen, events curl had)
        deadline = time.time() + EVENTS * INTERVAL_MS / 1000 + 10
        while time.time() < deadline and client.proc.poll() is None:
            had = client.received()
            text = screen()
            samples.append((header_events(text), newest_on_screen(text), had, "recording" in text.splitlines()[0]))
            time.sleep(0.4)
        live = [s for s in samples if s[3] and s[0] is not None]
        counts = [s[0] for s in live]
        expect("several screens while recording", len(live) >= 5, samples)
        expect("the event count on screen grows while recording",
               len(set(counts)) >= 4 and counts == sorted(counts), counts)
        expect("the timeline title marks the count unfinished", re.search(r"event #\d+ of \d+…", first) is not None, first)
        # Every live screen shows the newest indexed event (number count-1, i.e. {"i":count-1}) ...
        mismatched = [s for s in live if s[0] > 0 and s[1] != s[0] - 1]
        expect("the newest counted event is the one shown", not mismatched, mismatched)
        # ... and lags curl by at most 4 events (1.2 s), on most screens by at most 1.
        lags = [s[2] - (s[1] + 1) for s in live if s[1] is not None]
        expect("new events appear live (lag ≤ 4 events on every screen)", lags and max(lags) <= 4, list(zip(lags, samples)))
        expect("new events appear live (lag ≤ 1 event on most screens)",
               lags and sum(1 for l in lags if l <= 1) * 2 > len(lags), lags)

        expect("curl got the whole stream", client.wait(15) == 0 and client.received() == EVENTS, client.received())
        done = check("complete once the stream ends", rf"^#{xid}  GET /tick\S*  200  complete ", timeout=10)
        done = check("with every event", rf"^ TTFB .*  events {EVENTS}  chunks {EVENTS} ", timeout=5)
        check_absent("no longer live", r"● live|recording", done)
        check("timeline at the last event, no longer unfinished", rf"event #{EVENTS - 1} of {EVENTS} ", timeout=5)
        check("the last event is on screen", rf'^ +{EVENTS - 1} .*\{{"i":{EVENTS - 1},', timeout=5)
        keys("q")
        check("q quits", r"^EXIT=0$")
        rows = exchanges(archive)
        expect("list --json: complete with every event",
               len(rows) == 1 and rows[0]["state"] == "complete" and rows[0]["events"] == EVENTS and rows[0]["chunks"] == EVENTS, rows)
    finally:
        client.stop()


def list_follow(archive, recorder, tmp):
    start(f"--follow --archive {archive}", width=80, height=24)
    check("list view: the first exchange, complete", r"^ +1 .*GET /tick\S* +200 complete ")
    client = Client(recorder.url + f"/tick?n=10&interval_ms={INTERVAL_MS}", os.path.join(tmp, "curl2.out"))
    try:
        check("list view: a new exchange appears, recording, events not counted yet", r"^ +2 .*GET /tick\S* +200 recording +… +… ", timeout=10)
        check("list view: counts both", r"  2 of 2 exchanges")
        keys("g", "Enter")   # the selection stays on #1 as #2 appears above it: g selects the top row
        check("Enter opens it live", r"^#2  GET /tick\S*  200  recording ", timeout=5)
        check("and follows it", r"^ TTFB .*  ● live")
        expect("curl got the second stream", client.wait(15) == 0 and client.received() == 10, client.received())
        check("it completes in the opened view", r"^#2  GET /tick\S*  200  complete ", timeout=10)
        check("with all its events", r"^ TTFB .*  events 10  chunks 10 ", timeout=5)
        keys("q")
        check("q goes back to the list, where it is complete", r"^ +2 .*GET /tick\S* +200 complete +10 ", timeout=5)
        keys("q")
        check("q quits the list", r"^EXIT=0$")
    finally:
        client.stop()
    # Without --follow, a fresh list shows both with their state.
    start(f"--archive {archive}", width=80, height=24)
    text = check("list view without --follow", r"^ +2 .*GET /tick\S* +200 complete ")
    check("both exchanges complete", r"^ +1 .*GET /tick\S* +200 complete ")
    keys("q")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        archive = os.path.join(tmp, "follow.sqlite")
        upstream = FakeUpstream()
        recorder = None
        try:
            recorder = Recorder(upstream.url, archive)
            follow_one(archive, recorder, tmp)
            list_follow(archive, recorder, tmp)
        finally:
            stop()
            if recorder:
                recorder.stop()
            upstream.close()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
