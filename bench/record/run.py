#!/usr/bin/env python3
"""Recorder benchmark: latency added per chunk and concurrent streams, side by side in one run.

Arms: direct (client -> upstream), c-relay (floor): `loadgen relay`, a single-threaded epoll TCP relay
in C that parses nothing (the least any proxy can add: one wake-up, one recv, one send per chunk),
streamtape record (release build), mitmproxy 11.0.2 in reverse mode with streaming on (its own venv).
The SSE upstream and the client are `loadgen.c` (C, epoll): each event carries its CLOCK_MONOTONIC
send time and the client notes its arrival time, on one clock.

  python3 bench/record/run.py                 # full run (~2 min)
  python3 bench/record/run.py --quick         # smaller, for a smoke check
  python3 bench/record/run.py --streams 200,300,500   # where does added p99 stay under 5 ms?
  STREAMTAPE_BIN=... python3 bench/record/run.py --no-mitm

Every run goes through the real SQLite archive (`--archive` in the run's temporary folder); at the end
the recorder is stopped and `streamtape list --json` counts what reached the archive.

Latency arms are interleaved in rounds (direct, relay, recorder, mitmproxy, direct, ...) and pooled,
since single-run p99 figures on a shared machine are noisy. Added latency = arm percentile - direct
percentile; "vs mitm" = the arm's added latency / mitmproxy's. Concurrency runs direct, the relay and
the recorder one after another at each stream count; CPU per chunk = the process's CPU seconds during
the client's run x 1e6 / chunks delivered (the same as cores x 1e6 / chunks per second); run-queue
wait = time its threads were runnable but had no CPU (/proc/PID/task/*/schedstat). Everything
binds 127.0.0.1 and stops when the run ends. This is a measurement, not a test.
"""
import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
MITM_VENV = HERE / ".venv-mitm"
RELAY = "c-relay (floor)"


def pct(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[int((len(s) - 1) * p)]


def wait_port_file(path, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if path.exists() and path.read_text().strip():
            return int(path.read_text())
        time.sleep(0.02)
    raise RuntimeError(f"no port in {path}")


def wait_listening(port, timeout=20):
    import socket
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {port}")


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class ProcStats:
    """CPU seconds and resident memory of a process, sampled from /proc."""

    def __init__(self, pid):
        self.pid = pid
        self.rss = []
        self._stop = threading.Event()

    def cpu(self):
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def runq_wait(self):
        """Seconds the process's threads have spent runnable but waiting for a CPU (schedstat)."""
        total = 0
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            try:
                total += int((task / "schedstat").read_text().split()[1])
            except (OSError, IndexError):
                pass   # a thread that ended between the listing and the read
        return total / 1e9

    def rss_kb(self):
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def hwm_kb(self):
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
        return 0

    def sample(self, every=0.5):
        self._stop.clear()
        self.rss = []

        def loop():
            while not self._stop.wait(every):
                self.rss.append(self.rss_kb())
        t = threading.Thread(target=loop, daemon=True)
        t.start()
        return t

    def stop(self):
        self._stop.set()


def client(loadgen, port, streams, events, interval_us, raw=None):
    env = dict(os.environ)
    if raw:
        env["LOADGEN_RAW"] = str(raw)
    out = subprocess.run([str(loadgen), "client", str(port), str(streams), str(events), str(interval_us)],
                         capture_output=True, text=True, env=env, timeout=events * interval_us / 1e6 + 60)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout)


def stream_counts(text):
    """`--streams` value: positive stream counts separated by commas."""
    try:
        counts = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        counts = []
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"expected positive stream counts separated by commas, got {text!r}")
    return counts


def dash(value, spec):
    """`value` formatted, or "-" when there is none."""
    return "-" if value is None else format(value, spec)


def ratio(x, y):
    """x / y, or None when y is not positive (no mitmproxy arm, or it added nothing)."""
    return round(x / y, 2) if y and y > 0 else None


def ensure_mitm():
    mitmdump = MITM_VENV / "bin/mitmdump"
    if not mitmdump.exists():
        print("creating the mitmproxy venv (once) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(MITM_VENV)], check=True)
        subprocess.run([str(MITM_VENV / "bin/pip"), "install", "-q", "mitmproxy==11.0.2"], check=True)
    return mitmdump


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer events and shorter concurrency runs")
    ap.add_argument("--no-mitm", action="store_true", help="skip the mitmproxy arm")
    ap.add_argument("--json", action="store_true", help="print the results as one JSON object")
    ap.add_argument("--streams", type=stream_counts, default=[100, 1000], metavar="LIST",
                    help="concurrent stream counts to run, comma-separated (default 100,1000)")
    args = ap.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    binary = Path(os.environ.get("STREAMTAPE_BIN", REPO / ".build/release/streamtape"))
    if not binary.exists():
        sys.exit(f"no recorder binary at {binary}: run `swift build -c release --product streamtape` first")

    load_at_start = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="streamtape-bench-"))
    procs = []
    try:
        loadgen = work / "loadgen"
        subprocess.run(["cc", "-O2", "-o", str(loadgen), str(HERE / "loadgen.c")], check=True)
        procs.append(subprocess.Popen([str(loadgen), "upstream", str(work / "port")]))
        up = wait_port_file(work / "port")
        relay = subprocess.Popen([str(loadgen), "relay", str(up), str(work / "relay-port")])
        procs.append(relay)
        relay_port = wait_port_file(work / "relay-port")

        rec_port = free_port()
        rec = subprocess.Popen([str(binary), "record", "--quiet", "--listen", f"127.0.0.1:{rec_port}",
                                "--upstream", f"http://127.0.0.1:{up}", "--archive", str(work / "bench.sqlite")],
                               cwd=work, stdout=sys.stderr)   # its "listening on" line must not mix into --json
        procs.append(rec)
        wait_listening(rec_port)
        arms = {"direct": up, RELAY: relay_port, "streamtape": rec_port}

        if not args.no_mitm:
            mitm_port = free_port()
            mitm = subprocess.Popen([str(ensure_mitm()), "--mode", f"reverse:http://127.0.0.1:{up}", "-p", str(mitm_port),
                                     "--listen-host", "127.0.0.1", "--set", "stream_large_bodies=1", "-q"], cwd=work)
            procs.append(mitm)
            wait_listening(mitm_port)
            arms["mitmproxy"] = mitm_port

        # 1. Latency per chunk: one stream, a chunk every 5 ms, arms interleaved in rounds.
        rounds, per_round = (3, 100) if args.quick else (6, 200)
        sent_through_recorder = {"exchanges": 0, "events": 0}

        def through_recorder(result, streams):
            sent_through_recorder["exchanges"] += streams
            sent_through_recorder["events"] += result["expected"]
            return result

        for name, port in arms.items():   # warm-up: connections, caches
            r = client(loadgen, port, 1, 20, 5000)
            if name == "streamtape":
                through_recorder(r, 1)
        pooled = {name: [] for name in arms}
        for _ in range(rounds):
            for name, port in arms.items():
                raw = work / f"raw-{name.split()[0]}"
                r = client(loadgen, port, 1, per_round, 5000, raw=raw)
                if name == "streamtape":
                    through_recorder(r, 1)
                pooled[name] += [int(x) / 1000 for x in raw.read_text().split()]
        latency = {}
        for name, values in pooled.items():
            latency[name] = {"chunks": len(values), "p50_us": pct(values, 0.5), "p99_us": pct(values, 0.99)}
        for name in latency:
            latency[name]["added_p50_us"] = latency[name]["p50_us"] - latency["direct"]["p50_us"]
            latency[name]["added_p99_us"] = latency[name]["p99_us"] - latency["direct"]["p99_us"]
        if "mitmproxy" in latency:
            for name in latency:
                if name != "direct":
                    latency[name]["added_p50_vs_mitm"] = ratio(latency[name]["added_p50_us"], latency["mitmproxy"]["added_p50_us"])
                    latency[name]["added_p99_vs_mitm"] = ratio(latency[name]["added_p99_us"], latency["mitmproxy"]["added_p99_us"])

        # 2. Concurrent streams at 100 events/s each: directly, through the relay and through the recorder.
        seconds = 5 if args.quick else 10
        rec_stats, relay_stats = ProcStats(rec.pid), ProcStats(relay.pid)

        def measured(stats, port, streams, events):
            """The client's result through `port`, with the CPU and RSS of the process behind it."""
            cpu0, wait0, t0 = stats.cpu(), stats.runq_wait(), time.time()
            sampler = stats.sample()
            r = client(loadgen, port, streams, events, 10_000)
            stats.stop()
            sampler.join()
            cpu, wall = stats.cpu() - cpu0, time.time() - t0
            return (r, round(cpu / wall, 2), round(cpu * 1e6 / max(r["received"], 1), 2),
                    round((stats.runq_wait() - wait0) * 1000 / wall, 1))

        concurrency = []
        for streams in args.streams:
            events = 100 * seconds
            direct = client(loadgen, up, streams, events, 10_000)
            rel, rel_cores, rel_us, rel_wait = measured(relay_stats, relay_port, streams, events)
            through, rec_cores, rec_us, rec_wait = measured(rec_stats, rec_port, streams, events)
            through_recorder(through, streams)
            concurrency.append({
                "streams": streams, "events_per_s_each": 100, "seconds": seconds,
                "expected": through["expected"], "lost": through["lost"], "out_of_order": through["out_of_order"],
                "direct_p99_us": direct["p99_us"], "direct_p50_us": direct["p50_us"], "direct_lost": direct["lost"],
                "relay_lost": rel["lost"], "relay_out_of_order": rel["out_of_order"],
                "relay_p50_us": rel["p50_us"], "relay_p99_us": rel["p99_us"],
                "relay_added_p99_us": rel["p99_us"] - direct["p99_us"],
                "relay_cpu_cores": rel_cores, "relay_cpu_us_per_chunk": rel_us,
                "relay_runq_wait_ms_per_s": rel_wait, "relay_peak_rss_mb": round(relay_stats.hwm_kb() / 1024, 1),
                "recorder_p99_us": through["p99_us"],
                "added_p99_us": through["p99_us"] - direct["p99_us"], "recorder_p50_us": through["p50_us"],
                "recorder_cpu_cores": rec_cores, "recorder_cpu_us_per_chunk": rec_us,
                "recorder_runq_wait_ms_per_s": rec_wait, "recorder_rss_mb": [round(x / 1024, 1) for x in rec_stats.rss[::2]],
                "recorder_peak_rss_mb": round(rec_stats.hwm_kb() / 1024, 1),
            })
        # 3. What reached the archive: stop the recorder (it drains and closes the archive), then read it back.
        rec.send_signal(signal.SIGINT)
        rec.wait(timeout=60)
        listed = subprocess.run([str(binary), "list", "--json", "--archive", str(work / "bench.sqlite")],
                                capture_output=True, text=True, timeout=300)
        rows = [json.loads(l) for l in listed.stdout.splitlines() if l.strip()]
        archive = {"exchanges": len(rows), "complete": sum(r["state"] == "complete" for r in rows),
                   "events": sum(r["events"] for r in rows), "sent_exchanges": sent_through_recorder["exchanges"],
                   "sent_events": sent_through_recorder["events"],
                   "file_mb": round(sum(f.stat().st_size for f in work.glob("bench.sqlite*")) / 2**20, 1)}
        result = {"latency_per_chunk": latency, "concurrency": concurrency, "archive": archive,
                  "machine": {"cores": os.cpu_count(), "load": os.getloadavg(), "load_at_start": load_at_start}}
        if args.json:
            print(json.dumps(result, indent=2))
            return
        print(f"latency added per chunk (1 stream, 5 ms apart, {rounds} interleaved rounds of {per_round}):")
        vs = "mitmproxy" in latency
        print(f"  {'arm':<16} {'p50 µs':>8} {'p99 µs':>8} {'added p50':>10} {'added p99':>10}"
              + (f" {'p50 vs mitm':>12} {'p99 vs mitm':>12}" if vs else ""))
        for name, l in latency.items():
            line = f"  {name:<16} {l['p50_us']:8.1f} {l['p99_us']:8.1f} {l['added_p50_us']:10.1f} {l['added_p99_us']:10.1f}"
            if vs:
                line += "".join(f" {'-' if l.get(k) is None else format(l[k], '.2f') + 'x':>12}"
                                for k in ("added_p50_vs_mitm", "added_p99_vs_mitm"))
            print(line)
        print(f"concurrent streams, 100 events/s each for {seconds} s (added = arm p99 - direct p99; CPU of the proxy process;\n"
              "  runq ms/s = ms per second its threads were runnable but waiting for a CPU, summed over threads):")
        print(f"  {'streams':>7}  {'arm':<16} {'lost':>16} {'p50 ms':>8} {'p99 ms':>9} {'added p99 ms':>13} "
              f"{'CPU cores':>9} {'CPU µs/chunk':>12} {'runq ms/s':>9} {'peak RSS MB':>11}")
        for c in concurrency:
            rows = [("direct", c["direct_lost"], c["direct_p50_us"], c["direct_p99_us"], None, None, None, None, None),
                    (RELAY, c["relay_lost"], c["relay_p50_us"], c["relay_p99_us"], c["relay_added_p99_us"],
                     c["relay_cpu_cores"], c["relay_cpu_us_per_chunk"], c["relay_runq_wait_ms_per_s"], c["relay_peak_rss_mb"]),
                    ("streamtape", c["lost"], c["recorder_p50_us"], c["recorder_p99_us"], c["added_p99_us"],
                     c["recorder_cpu_cores"], c["recorder_cpu_us_per_chunk"], c["recorder_runq_wait_ms_per_s"],
                     c["recorder_peak_rss_mb"])]
            for name, lost, p50, p99, added, cores, us, wait, rss in rows:
                lost_of = f"{lost} of {c['expected']}"
                print(f"  {c['streams']:>7}  {name:<16} {lost_of:>16} "
                      f"{p50 / 1000:8.2f} {p99 / 1000:9.2f} {dash(None if added is None else added / 1000, '.2f'):>13} "
                      f"{dash(cores, '.2f'):>9} {dash(us, '.1f'):>12} {dash(wait, '.0f'):>9} {dash(rss, '.1f'):>11}")
        print("  added p99 under 5 ms with nothing lost? (inconclusive: within 5 ms of direct, but direct's own p99 was above 5 ms)")
        for name, key, lost in ((RELAY, "relay_added_p99_us", "relay_lost"), ("streamtape", "added_p99_us", "lost")):
            verdicts = {}
            for c in concurrency:
                verdict = ("no" if c[key] >= 5000 or c[lost] else "inconclusive" if c["direct_p99_us"] > 5000 else "yes")
                verdicts.setdefault(verdict, []).append(str(c["streams"]))
            print(f"    {name}: " + "; ".join(f"{v} at {', '.join(n)}" for v, n in verdicts.items()))
        print("streamtape RSS over time (MB, every second): "
              + "; ".join(f"{c['streams']} streams {c['recorder_rss_mb']}" for c in concurrency))
        print(f"archive after the run: {archive['exchanges']} of {archive['sent_exchanges']} exchanges "
              f"({archive['complete']} complete), {archive['events']} of {archive['sent_events']} events, "
              f"{archive['file_mb']} MB")
        print(f"machine: {os.cpu_count()} cores, load average {load_at_start:.2f} at start, {os.getloadavg()[0]:.2f} at end "
              "(shared: compare arms, not absolutes)")
    finally:
        for p in reversed(procs):
            p.terminate()
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
