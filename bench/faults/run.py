#!/usr/bin/env python3
"""Fault campaign for `streamtape record`: kill it, fill its disk, remove its archive, reset its
upstreams, drop its clients, flood it with idle and slow clients, and count what was lost or leaked.

  python3 bench/faults/run.py            # every case (about 5 minutes); needs root for the tmpfs case
  python3 bench/faults/run.py kill9 idle # some cases only
  STREAMTAPE_BIN=.build/release/streamtape python3 bench/faults/run.py

Run by hand, not by CI. All traffic is on 127.0.0.1; every loop is bounded in count and time, and the
run stops by itself. Each case prints its figures as it ends, then a summary table. The upstream is
`upstream.py` (its own process); the latency case reuses bench/record's C loadgen (upstream and client).
"""
import asyncio
import collections
import importlib.util
import json
import os
import random
import re
import resource
import selectors
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
_spec = importlib.util.spec_from_file_location("record_bench", REPO / "bench/record/run.py")
record_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(record_bench)
pct, wait_port_file, loadgen_client = record_bench.pct, record_bench.wait_port_file, record_bench.client

EVENT = re.compile(rb"data: (\S+) (\d+) x*\n\n")
SUMMARY = []


def say(text=""):
    print(text, flush=True)


def verdict(ok):
    return "ok" if ok else "FAILED"


class Recorder:
    """`streamtape record --json` on 127.0.0.1:0; its output lines are collected with their arrival time."""

    def __init__(self, binary, upstream_port, archive, *extra):
        self.proc = subprocess.Popen([binary, "record", "--listen", "127.0.0.1:0", "--json", "--upstream",
                                      f"http://127.0.0.1:{upstream_port}", "--archive", str(archive), *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = self.proc.stdout.readline()
        if not first:
            raise RuntimeError("the recorder did not start: " + self.proc.stderr.read())
        self.port = int(json.loads(first)["listen"].rsplit(":", 1)[1])
        self.lines, self.errors = [], []
        for stream, into in ((self.proc.stdout, self.lines), (self.proc.stderr, self.errors)):
            threading.Thread(target=self._read, args=(stream, into), daemon=True).start()

    @staticmethod
    def _read(stream, into):
        for line in stream:
            into.append((time.monotonic(), line.rstrip("\n")))

    def exchanges(self):
        return [json.loads(l) for _, l in self.lines if '"event":"exchange"' in l.replace(" ", "")]

    def wait_exchanges(self, count, timeout=60):
        deadline = time.monotonic() + timeout
        while len(self.exchanges()) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.exchanges()

    def fds(self):
        return len(os.listdir(f"/proc/{self.proc.pid}/fd"))

    def rss_mb(self):
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


async def stream(port, target, disconnect_after=None, rst=False, timeout=60):
    """One GET through the recorder. Returns (status, [(ident, seq, monotonic arrival)], ending), where
    ending is complete, eof, reset or disconnected (we hung up after `disconnect_after` events)."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return None, [], "refused"
    writer.write(f"GET {target} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n".encode())
    buf, scanned, events, status, ending = b"", 0, [], None, "eof"
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if disconnect_after is not None and len(events) >= disconnect_after:
                if rst:
                    writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    writer.transport.abort()
                else:
                    writer.close()
                return status, events, "disconnected"
            data = await asyncio.wait_for(reader.read(65536), deadline - time.monotonic())
            if not data:
                break
            now = time.monotonic()
            buf += data
            if status is None and b"\r\n" in buf:
                status = int(buf.split(b" ", 2)[1])
            for m in EVENT.finditer(buf, scanned):
                events.append((m.group(1).decode(), int(m.group(2)), now))
                scanned = m.end()
            if buf.endswith(b"\r\n0\r\n\r\n"):
                ending = "complete"
                break
    except (ConnectionResetError, BrokenPipeError):
        ending = "reset"
    except asyncio.TimeoutError:
        ending = "timeout"
    writer.transport.abort()
    return status, events, ending


def archived(path):
    """{stream id: set of event seqs} in the archive's chunks, and {end state: count}."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    seqs = collections.defaultdict(set)
    for (eid,) in db.execute("SELECT id FROM exchanges"):
        body = b"".join(r[0] for r in db.execute("SELECT bytes FROM chunks WHERE exchange_id = ? ORDER BY seq", (eid,)))
        for m in EVENT.finditer(body):
            seqs[m.group(1).decode()].add(int(m.group(2)))
    states = dict(db.execute("SELECT end_state, count(*) FROM exchanges GROUP BY end_state").fetchall())
    db.close()
    return seqs, states


def integrity(path):
    db = sqlite3.connect(str(path))
    result = db.execute("PRAGMA integrity_check").fetchone()[0]
    db.close()
    return result


def opens(binary, path):
    """Whether `streamtape list` opens the archive (it recovers exchanges a crash left unfinished)."""
    return subprocess.run([binary, "list", "--archive", str(path), "--json"], capture_output=True, timeout=120).returncode == 0


def lost_before(results, seqs, cutoff):
    """Events a client received before `cutoff` that the archive does not have."""
    return len(lost_times(results, seqs, cutoff))


def lost_times(results, seqs, cutoff):
    """When each event a client received before `cutoff` and the archive does not have arrived."""
    return [t for _, events, _ in results for ident, seq, t in events if t < cutoff and seq not in seqs.get(ident, ())]


# ---------------------------------------------------------------- cases

def case_kill9(env, rounds=10, streams=100):
    say(f"kill -9 under {streams} streams, {rounds} times (one archive, reopened each time):")
    say("  round  killed at s  events received  received >100 ms before kill  of those not archived  opens  integrity")
    archive, bad = env.work / "kill9.sqlite", 0
    for r in range(rounds):
        rec = Recorder(env.binary, env.upstream, archive)
        kill_after = random.uniform(1.0, 3.0)

        async def go():
            tasks = [asyncio.create_task(stream(rec.port, f"/s?id=k{r}-{i}&n=100000&gap_ms=50&pad=40")) for i in range(streams)]
            await asyncio.sleep(kill_after)
            t_kill = time.monotonic()
            rec.proc.kill()
            return t_kill, await asyncio.gather(*tasks)

        t_kill, results = asyncio.run(go())
        rec.proc.wait()
        opened = opens(env.binary, archive)
        check = integrity(archive)
        seqs, _ = archived(archive)
        must = sum(1 for _, events, _ in results for e in events if e[2] < t_kill - 0.1)
        lost = lost_before(results, seqs, t_kill - 0.1)
        bad += lost > 0 or not opened or check != "ok"
        say(f"  {r + 1:5d}  {kill_after:11.2f}  {sum(len(e) for _, e, _ in results):15d}  {must:28d}  {lost:21d}  {str(opened).lower():5s}  {check}")
    SUMMARY.append(("kill -9 under 100 streams", f"{rounds} rounds", verdict(bad == 0),
                    f"{rounds - bad} of {rounds} rounds: archive opens, integrity ok, 0 events lost"))


def case_disk_full(env, streams=100):
    say("disk filling mid-run (archive on an 8 MiB tmpfs, 100 streams of 1 KiB events):")
    mnt = env.work / "tmpfs"
    mnt.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if mounted.returncode != 0:
        say(f"  not run: cannot mount a tmpfs here ({mounted.stderr.strip()})")
        SUMMARY.append(("disk filling mid-run", "0", "not run", mounted.stderr.strip()))
        return
    try:
        archive = mnt / "a.sqlite"
        rec = Recorder(env.binary, env.upstream, archive)

        async def go():
            tasks = [asyncio.create_task(stream(rec.port, f"/s?id=d{i}&n=100000&gap_ms=20&pad=1000", timeout=30)) for i in range(streams)]
            deadline = time.monotonic() + 30
            while rec.proc.poll() is None and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            t_exit = time.monotonic()
            rec.stop()
            return t_exit, await asyncio.gather(*tasks)

        t_exit, results = asyncio.run(go())
        failure_lines = [(t, l) for t, l in rec.errors if "cannot be written" in l]
        t_fail = failure_lines[0][0] if failure_lines else t_exit
        after = sum(1 for _, events, _ in results for e in events if e[2] > t_fail + 0.5)
        subprocess.run(["mount", "-o", "remount,size=64m", str(mnt)], check=True)   # the user frees space
        opened, check = opens(env.binary, archive), integrity(archive)
        seqs, states = archived(archive)
        lost_at = lost_times(results, seqs, t_fail)
        lost = sum(1 for t in lost_at if t < t_fail - 0.1)
        oldest = (t_fail - min(lost_at)) * 1000 if lost_at else 0
        ok = rec.proc.returncode not in (0, None) and after == 0 and opened and check == "ok" and lost == 0
        say(f"  recorder exit code {rec.proc.returncode}; its message: {failure_lines[0][1] if failure_lines else '(none)'}")
        say(f"  events received {sum(len(e) for _, e, _ in results)}; received more than 0.5 s after the failure (proxied unrecorded): {after}")
        say(f"  after freeing space: opens {str(opened).lower()}, integrity {check}, end states {states}")
        say(f"  events received before the failure and not archived: {len(lost_at)}, the oldest {oldest:.0f} ms before it; "
            f"more than 100 ms before it: {lost}")
        SUMMARY.append(("disk filling mid-run", "1", verdict(ok),
                        f"recorder stops (exit {rec.proc.returncode}), {after} events proxied unrecorded, integrity {check}, "
                        f"{len(lost_at)} events lost (the last {oldest:.0f} ms)"))
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def case_folder_removed(env, streams=100):
    say("archive folder removed mid-run (100 streams):")
    folder = env.work / "removed"
    folder.mkdir()
    rec = Recorder(env.binary, env.upstream, folder / "a.sqlite")

    async def go():
        tasks = [asyncio.create_task(stream(rec.port, f"/s?id=r{i}&n=100000&gap_ms=50&pad=40", timeout=20)) for i in range(streams)]
        await asyncio.sleep(1.5)
        t_rm = time.monotonic()
        shutil.rmtree(folder)
        deadline = time.monotonic() + 10
        while rec.proc.poll() is None and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        t_exit = time.monotonic() if rec.proc.poll() is not None else None
        rec.stop()
        return t_rm, t_exit, await asyncio.gather(*tasks)

    t_rm, t_exit, results = asyncio.run(go())
    after = sum(1 for _, events, _ in results for e in events if e[2] > t_rm + 1.0)
    message = next((l for _, l in rec.errors if "cannot be written" in l), "(none)")
    stopped = t_exit is not None
    say(f"  recorder stopped by itself: {str(stopped).lower()}" + (f", {t_exit - t_rm:.2f} s after the removal" if stopped else " (within 10 s)"))
    say(f"  exit code {rec.proc.returncode}; its message: {message}")
    say(f"  events received more than 1 s after the removal (proxied unrecorded): {after}")
    SUMMARY.append(("archive folder removed", "1", verdict(stopped and after == 0),
                    (f"recorder stops in {t_exit - t_rm:.2f} s" if stopped else "recorder keeps running") + f", {after} events proxied unrecorded"))


def churn(env, name, count, make, concurrency=100):
    """`count` exchanges through a fresh recorder (after a warm-up of 100), `concurrency` at a time;
    returns the recorder's fds and RSS before and after, the exchanges it reported, and the archive."""
    archive = env.work / f"{name}.sqlite"
    rec = Recorder(env.binary, env.upstream, archive)
    warm = 100

    async def go(lo, hi):
        gate = asyncio.Semaphore(concurrency)

        async def one(i):
            async with gate:
                return await make(rec.port, i)
        return await asyncio.gather(*(one(i) for i in range(lo, hi)))

    asyncio.run(go(0, warm))
    rec.wait_exchanges(warm)
    time.sleep(1)
    fds0, rss0 = rec.fds(), rec.rss_mb()
    half = warm + count // 2
    asyncio.run(go(warm, half))   # in two halves: memory that keeps growing in the second is a leak
    rec.wait_exchanges(half)
    time.sleep(1)
    rss_half = rec.rss_mb()
    asyncio.run(go(half, warm + count))
    reported = rec.wait_exchanges(warm + count)
    time.sleep(1)
    fds1, rss1 = rec.fds(), (rss_half, rec.rss_mb())
    states = collections.Counter(e["state"] for e in reported[warm:])
    _, archive_states = archived(archive)
    rec.stop()
    return fds0, fds1, rss0, rss1, len(reported) - warm, states, archive_states


def churn_row(title, count, fds0, fds1, rss0, rss, ended, states, archive_states):
    (rss_half, rss1) = rss
    ok = fds1 <= fds0 and ended == count and archive_states.get("recording", 0) == 0 and rss1 - rss_half < 4
    say(f"  recorder fds before {fds0}, after {fds1}; RSS before {rss0:.1f} MB, after half {rss_half:.1f} MB, "
        f"after all {rss1:.1f} MB")
    say(f"  exchanges reported ended: {ended} of {count}: {dict(states)}")
    say(f"  archive end states: {archive_states}")
    SUMMARY.append((title, f"{count}", verdict(ok),
                    f"fds {fds0} -> {fds1}, RSS {rss0:.1f} -> {rss_half:.1f} -> {rss1:.1f} MB, {ended} of {count} ended, "
                    f"{archive_states.get('recording', 0)} left recording"))


def case_resets(env, count=1000):
    say(f"{count} upstream resets at random points (before the head, or after 0-40 of 40 events):")

    async def make(port, i):
        return await stream(port, f"/s?id=u{i}&n=40&gap_ms=2&reset={random.randint(-1, 40)}")
    churn_row("upstream resets", count, *churn(env, "resets", count, make))


def case_disconnects(env, count=1000):
    say(f"{count} client disconnects at random points (after 0-100 of 200 events; half FIN, half RST):")

    async def make(port, i):
        return await stream(port, f"/s?id=c{i}&n=200&gap_ms=5", disconnect_after=random.randint(0, 100), rst=i % 2 == 0)
    churn_row("client disconnects", count, *churn(env, "disconnects", count, make))


def case_idle(env, count=10_000, idle_timeout=20):
    say(f"{count} idle connections (default cap 4096 connections, --idle-timeout {idle_timeout}):")
    rec = Recorder(env.binary, env.upstream, env.work / "idle.sqlite", "--idle-timeout", str(idle_timeout))
    asyncio.run(stream(rec.port, "/s?id=i-warm&n=5&gap_ms=1", timeout=10))   # the upstream pool's connection
    time.sleep(0.5)
    fds0 = rec.fds()
    socks, refused_connect, t_connect = [], 0, time.monotonic()
    for _ in range(count):
        s = socket.socket()
        s.settimeout(2)
        try:
            s.connect(("127.0.0.1", rec.port))
            s.setblocking(False)
            socks.append(s)
        except OSError:
            refused_connect += 1
            s.close()
    t_connect = time.monotonic() - t_connect
    time.sleep(2)
    fds_peak = rec.fds()

    def poll():
        """How many client sockets got a 503, an end of stream, a reset, or nothing yet."""
        seen = collections.Counter()
        for s in socks:
            try:
                data = s.recv(4096)
                seen["503" if data.startswith(b"HTTP/1.1 503") else "eof" if data == b"" else "other"] += 1
            except BlockingIOError:
                seen["open"] += 1
            except OSError:
                seen["reset"] += 1
        return seen

    first = poll()
    got503, held = first["503"], first["open"]
    during = asyncio.run(stream(rec.port, "/s?id=i-during&n=5&gap_ms=1", timeout=10))
    time.sleep(idle_timeout + 2)
    later = poll()
    held_later = later["open"]
    fds1 = rec.fds()
    for s in socks:
        s.close()
    time.sleep(0.5)
    after = asyncio.run(stream(rec.port, "/s?id=i-after&n=5&gap_ms=1", timeout=10))
    fds2 = rec.fds()
    rec.stop()
    say(f"  connected {len(socks)} in {t_connect:.1f} s, connect failed {refused_connect}; 2 s later: {dict(first)} "
        "(open: held, no answer yet)")
    say(f"  recorder fds before {fds0}, with the flood {fds_peak} (held ones, and refused ones in their 2 s linger), "
        f"after its idle timeout {fds1}, after the clients left {fds2}")
    say(f"  a real request during the flood: status {during[0]}, {during[2]}; after: status {after[0]}, {after[2]}")
    say(f"  {idle_timeout + 2} s later: {dict(later)}")
    ok = held <= 4096 and held_later == 0 and fds1 <= fds0 + 1 and fds2 <= fds0 + 1 and after[2] == "complete"
    SUMMARY.append(("10,000 idle connections", f"{count}", verdict(ok),
                    f"{held} held (cap 4096), {got503} got 503, all closed after the idle timeout; "
                    f"fds {fds0} -> {fds_peak} -> {fds2}; a stream during and after: {during[2]}, {after[2]}"))


class Dribblers:
    """`count` clients that each send a request head one line a second and never finish it; a client
    the server answers (408) or closes reconnects at once. Runs in a thread until stopped."""

    def __init__(self, port, count):
        self.port, self.count = port, count
        self.answers, self.connects = collections.Counter(), 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _open(self, sel):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", self.port))
        sel.register(s, selectors.EVENT_READ, {"next": time.monotonic() + random.random(), "sent": 0})
        self.connects += 1

    def _run(self):
        sel = selectors.DefaultSelector()
        for _ in range(self.count):
            self._open(sel)
        while not self._stop.is_set():
            for key, _ in sel.select(timeout=0.05):
                try:
                    data = key.fileobj.recv(4096)
                except OSError:
                    data = b""
                self.answers[data[:12].decode(errors="replace") or "closed"] += 1
                sel.unregister(key.fileobj)
                key.fileobj.close()
                self._open(sel)
            now = time.monotonic()
            for key in list(sel.get_map().values()):
                state = key.data
                if now >= state["next"]:
                    line = b"GET /slow HTTP/1.1\r\n" if state["sent"] == 0 else b"x-slow: %d\r\n" % state["sent"]
                    try:
                        key.fileobj.send(line)
                    except OSError:
                        pass
                    state["sent"] += 1
                    state["next"] = now + 1.0
        for key in list(sel.get_map().values()):
            key.fileobj.close()

    def start(self):
        self.thread.start()

    def stop(self):
        self._stop.set()
        self.thread.join()


class Sink:
    """A listener that accepts connections and never reads them: where the control arm's slow clients go,
    so the machine carries the same client-side work while the recorder carries none of it."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=4096)
        self.port = self.listener.getsockname()[1]
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.held.append(self.listener.accept()[0])
            except OSError:
                return

    def close(self):
        self.listener.close()
        for s in self.held:
            s.close()


def case_slow_headers(env, slow=1000, streams=50, rounds=2):
    say(f"{slow} slow-header clients (a header line a second) while {streams} real streams run (100 events/s each, "
        f"5 s per arm, {rounds} interleaved rounds pooled):")
    loadgen = env.work / "loadgen"
    subprocess.run(["cc", "-O2", "-o", str(loadgen), str(REPO / "bench/record/loadgen.c")], check=True)
    up = subprocess.Popen([str(loadgen), "upstream", str(env.work / "lg-port")])
    sink = Sink()
    arms = {"no slow clients": None, f"{slow} slow clients on a sink (control)": sink.port,
            f"{slow} slow clients on the recorder": None}
    pooled = {name: [] for name in arms}
    lost = collections.Counter()
    answers, fds = collections.Counter(), 0
    try:
        rec = Recorder(env.binary, wait_port_file(env.work / "lg-port"), env.work / "slow.sqlite")
        arms[f"{slow} slow clients on the recorder"] = rec.port
        loadgen_client(loadgen, rec.port, 5, 50, 10000)   # warm-up
        for _ in range(rounds):
            for name, target in arms.items():
                dribblers = Dribblers(target, slow) if target else None
                if dribblers:
                    dribblers.start()
                    time.sleep(1.5)
                if target == rec.port:
                    fds = max(fds, rec.fds())
                raw = env.work / "lat.txt"
                r = loadgen_client(loadgen, rec.port, streams, 500, 10000, raw=raw)
                pooled[name] += [int(x) / 1e6 for x in raw.read_text().split()]
                lost[name] += r["lost"]
                if dribblers:
                    dribblers.stop()
                    if target == rec.port:
                        answers += dribblers.answers
        rec.stop()
    finally:
        sink.close()
        up.terminate()
        up.wait()
    say("  arm                                      events lost   p50 ms   p99 ms")
    for name in arms:
        say(f"  {name:40s} {len(pooled[name]):6d} {lost[name]:4d} {pct(pooled[name], 0.5):8.2f} {pct(pooled[name], 0.99):8.2f}")
    say(f"  recorder fds with the slow clients connected: {fds}; answers the slow clients got from it: {dict(answers)}")
    base, control, hit = (pooled[n] for n in arms)
    ok = sum(lost.values()) == 0
    SUMMARY.append((f"{slow} slow-header clients + {streams} streams", f"{streams} streams", verdict(ok),
                    f"p50/p99 ms: {pct(base, 0.5):.2f}/{pct(base, 0.99):.2f} without, {pct(control, 0.5):.2f}/{pct(control, 0.99):.2f} "
                    f"control, {pct(hit, 0.5):.2f}/{pct(hit, 0.99):.2f} with; lost {sum(lost.values())}"))


CASES = {"kill9": case_kill9, "disk": case_disk_full, "removed": case_folder_removed, "resets": case_resets,
         "disconnects": case_disconnects, "idle": case_idle, "slow": case_slow_headers}


class Env:
    def __init__(self, binary, work, upstream):
        self.binary, self.work, self.upstream = binary, work, upstream


def main():
    chosen = sys.argv[1:] or list(CASES)
    unknown = [c for c in chosen if c not in CASES]
    if unknown:
        sys.exit(f"unknown case {unknown[0]}; cases: {' '.join(CASES)}")
    release = REPO / ".build/release/streamtape"
    binary = os.environ.get("STREAMTAPE_BIN") or str(release if release.exists() else REPO / ".build/debug/streamtape")
    if not Path(binary).exists():
        sys.exit(f"no binary at {binary}: run `swift build --product streamtape` first")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))   # 10,000 client sockets; the recorder inherits it
    random.seed(15)
    work = Path(tempfile.mkdtemp(prefix="streamtape-faults-"))
    up = subprocess.Popen([sys.executable, str(HERE / "upstream.py"), str(work / "port")])
    started = time.time()
    say(f"streamtape fault campaign: {binary}; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
        f"fd limit {hard}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    try:
        env = Env(binary, work, wait_port_file(work / "port"))
        for name in chosen:
            say()
            CASES[name](env)
    finally:
        up.terminate()
        up.wait()
        shutil.rmtree(work, ignore_errors=True)
    say()
    say(f"summary ({time.time() - started:.0f} s, load average {os.getloadavg()[0]:.2f} at the end):")
    width = max(len(row[0]) for row in SUMMARY)
    say(f"  {'case':{width}s}  {'runs':>10s}  result  figures")
    for case, runs, result, figures in SUMMARY:
        say(f"  {case:{width}s}  {runs:>10s}  {result:6s}  {figures}")


if __name__ == "__main__":
    main()
