#!/usr/bin/env python3
"""PostgreSQL archive benchmark: 4 recorders x 50 streams x 100 events/s into ONE PostgreSQL database
against the same load into one SQLite archive per recorder, side by side in one run.

  python3 bench/pg/run.py                       # full run (about 5 minutes on an idle 2-core machine)
  python3 bench/pg/run.py --seconds 5 --rounds 1   # a smoke check
  STREAMTAPE_BIN=... python3 bench/pg/run.py

Arms, alternated in rounds (the order rotates each round): direct (the clients straight to the
upstream, the baseline for "added" latency), postgresql (4 `streamtape record` processes, each with
its own --recorder-name, all with --archive on one database of a throwaway cluster from
scripts/pg-test-cluster) and sqlite (4 recorders, one SQLite file each). All 8 recorders run for the
whole benchmark; a round runs one loadgen client per recorder at once (bench/record/loadgen.c: it is
the SSE upstream and the client; 127.0.0.1 only; each run bounded in time).

Per arm: events/s archived (events that reached the archive / (client run + time until the round's
last exchange was archived as complete)), added p99 per chunk at the client (pooled arm p99 - pooled
direct p99), CPU per chunk of the recorders (utime+stime from /proc/PID/stat during the client runs,
summed over the 4 recorders, x 1e6 / chunks delivered) and of the PostgreSQL server (postmaster and
its backends), and nothing lost: after the recorders stop (SIGINT, they drain), every stream the
clients read is looked up in the archive by the tag in its URL and its archived body compared with
the body the client received (md5; byte-exact). Then `streamtape copy` throughput: the 4 SQLite files
into a fresh PostgreSQL database, and the recorded PostgreSQL database into a fresh SQLite file
(exchanges/s, MB/s of response body), each copy checked byte-exact and run a second time (it must
copy nothing). This is a measurement, not a test.
"""
import argparse
import hashlib
import importlib.util
import json
import os
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
# bench/record/run.py's helpers (loaded by path: both scripts are named run.py).
_spec = importlib.util.spec_from_file_location("record_bench", REPO / "bench/record/run.py")
record_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(record_bench)
free_port, pct, wait_listening, wait_port_file = (record_bench.free_port, record_bench.pct,
                                                  record_bench.wait_listening, record_bench.wait_port_file)

RECORDERS, STREAMS, RATE = 4, 50, 100
TAG = re.compile(r"[?&]tag=([A-Za-z0-9_-]+)")


class Cluster:
    """scripts/pg-test-cluster, driven over its stdin: a throwaway cluster on a Unix socket."""

    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, str(REPO / "scripts/pg-test-cluster"), "serve"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        if self.proc.stdout.readline().strip() != "ready":
            raise RuntimeError("the PostgreSQL test cluster did not start")

    def new(self):
        self.proc.stdin.write("new\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def server_pids(self, uri):
        """The postmaster (from postmaster.pid next to the socket folder) and its children."""
        sock = Path(re.search(r"host=([^&]+)", uri).group(1))
        postmaster = int((sock.parent / "data/postmaster.pid").read_text().split()[0])
        pids = [postmaster]
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == postmaster:
                    pids.append(int(stat.parent.name))
            except (OSError, IndexError, ValueError):
                pass
        return pids

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def cpu_seconds(pids):
    """utime+stime of the processes, in seconds (a process that ended counts as 0)."""
    total = 0
    for pid in pids:
        try:
            f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(f[11]) + int(f[12])
        except (OSError, IndexError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def psql(uri, sql):
    """Rows of `sql` as lists of strings (tab-separated, unaligned)."""
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", uri, "-c", sql],
                         capture_output=True, text=True, check=True)
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def pg_bodies(uri):
    """{tag: (end_state, recorder, md5 of the body, events in it)} of every exchange in a PostgreSQL archive."""
    rows = psql(uri, """
        SELECT e.target, e.end_state, e.recorder, md5(coalesce(b.body, ''::bytea)),
               (octet_length(b.body) - length(replace(convert_from(b.body, 'UTF8'), E'\\n\\n', ''))) / 2
        FROM exchanges e LEFT JOIN (SELECT exchange_id, string_agg(bytes, ''::bytea ORDER BY seq) AS body
                                    FROM chunks GROUP BY exchange_id) b ON b.exchange_id = e.id""")
    return {TAG.search(t).group(1): (state, rec, md5, int(ev or 0)) for t, state, rec, md5, ev in rows}


def sqlite_bodies(path):
    """{tag: (end_state, recorder, md5 of the body, events in it)} of every exchange in a SQLite archive."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    found = {}
    for xid, target, state, rec in db.execute("SELECT id, target, end_state, recorder FROM exchanges"):
        body = b"".join(r[0] for r in db.execute("SELECT bytes FROM chunks WHERE exchange_id = ? ORDER BY seq", (xid,)))
        found[TAG.search(target).group(1)] = (state, rec, hashlib.md5(body).hexdigest(), body.count(b"\n\n"))
    db.close()
    return found


def complete_count(arm, archives, prefix):
    """How many exchanges whose tag starts with `prefix` are archived as complete."""
    like = f"%tag={prefix}%"
    if arm == "postgresql":
        return int(psql(archives[0], f"SELECT count(*) FROM exchanges WHERE end_state = 'complete' AND target LIKE '{like}'")[0][0])
    n = 0
    for path in archives:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        n += db.execute("SELECT count(*) FROM exchanges WHERE end_state = 'complete' AND target LIKE ?", (like,)).fetchone()[0]
        db.close()
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=15, help="length of each client run (default 15)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of direct/postgresql/sqlite (default 3)")
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    binary = Path(os.environ.get("STREAMTAPE_BIN", REPO / ".build/release/streamtape"))
    if not binary.exists():
        sys.exit(f"no recorder binary at {binary}: run `swift build -c release --product streamtape` first")

    load_at_start = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="streamtape-pgbench-"))
    procs, cluster = [], None
    try:
        loadgen = work / "loadgen"
        subprocess.run(["cc", "-O2", "-o", str(loadgen), str(REPO / "bench/record/loadgen.c")], check=True)
        procs.append(subprocess.Popen([str(loadgen), "upstream", str(work / "port")]))
        up = wait_port_file(work / "port")
        cluster = Cluster()
        pg_uri = cluster.new()

        archives = {"postgresql": [pg_uri] * RECORDERS,
                    "sqlite": [str(work / f"rec{k}.sqlite") for k in range(RECORDERS)]}
        ports, recs = {"direct": [up] * RECORDERS}, {}
        for arm, dests in archives.items():
            ports[arm], recs[arm] = [], []
            for k, dest in enumerate(dests):
                port = free_port()
                p = subprocess.Popen([str(binary), "record", "--quiet", "--listen", f"127.0.0.1:{port}",
                                      "--upstream", f"http://127.0.0.1:{up}", "--archive", dest,
                                      "--recorder-name", f"{arm}-r{k}"], cwd=work, stdout=sys.stderr)
                procs.append(p)
                recs[arm].append(p)
                ports[arm].append(port)
        for arm in ("postgresql", "sqlite"):
            for port in ports[arm]:
                wait_listening(port)

        sent = {}            # tag -> md5 of the body the client received
        stats = {arm: {"chunks": 0, "expected": 0, "lost": 0, "ooo": 0, "rec_cpu": 0.0, "pg_cpu": 0.0,
                       "wall": 0.0, "drain": [], "lat": []} for arm in ports}

        def run(arm, label, streams, events, measure):
            """One loadgen client per recorder at once; returns when all have ended."""
            rec_pids = [p.pid for p in recs.get(arm, [])]
            pg_pids = cluster.server_pids(pg_uri)
            cpu0, pg0, t0 = cpu_seconds(rec_pids), cpu_seconds(pg_pids), time.time()
            clients = []
            for k, port in enumerate(ports[arm]):
                tag = f"{label}-r{k}"
                env = dict(os.environ, LOADGEN_TAG=tag, LOADGEN_BODIES=str(work / "bodies" / tag),
                           LOADGEN_RAW=str(work / f"raw-{tag}"))
                (work / "bodies" / tag).mkdir(parents=True)
                clients.append((tag, subprocess.Popen([str(loadgen), "client", str(port), str(streams), str(events),
                                                       str(1_000_000 // RATE)], stdout=subprocess.PIPE, text=True, env=env)))
            results = []
            for tag, c in clients:
                out, _ = c.communicate(timeout=events / RATE + 90)
                results.append(json.loads(out))
                for i in range(streams):
                    sent[f"{tag}-{i}"] = hashlib.md5((work / "bodies" / tag / f"{i}.body").read_bytes()).hexdigest()
                shutil.rmtree(work / "bodies" / tag)
            wall = time.time() - t0
            s = stats[arm]
            s["rec_cpu"] += (cpu_seconds(rec_pids) - cpu0) * measure
            s["pg_cpu"] += (cpu_seconds(pg_pids) - pg0) * measure
            if not measure:
                return
            s["wall"] += wall
            for tag, r in zip((t for t, _ in clients), results):
                s["chunks"] += r["received"]
                s["expected"] += r["expected"]
                s["lost"] += r["lost"]
                s["ooo"] += r["out_of_order"]
                s["lat"] += [int(x) / 1000 for x in (work / f"raw-{tag}").read_text().split()]
            if arm != "direct":   # how long after the clients ended until the round is archived as complete
                t1, deadline = time.time(), time.time() + 120
                while complete_count(arm, archives[arm], label + "-") < streams * RECORDERS and time.time() < deadline:
                    time.sleep(0.1)
                s["drain"].append(time.time() - t1)

        arms = ["direct", "postgresql", "sqlite"]
        for arm in arms:
            run(arm, f"warm{arm[0]}", 1, 20, measure=False)
        events = RATE * args.seconds
        for rnd in range(args.rounds):
            for arm in arms[rnd % 3:] + arms[:rnd % 3]:
                print(f"round {rnd + 1}: {arm} ...", file=sys.stderr, flush=True)
                run(arm, f"{arm[0]}{rnd}", STREAMS, events, measure=True)

        # Stop the recorders (SIGINT: they drain and close the archive), then read every stream back.
        for arm in ("postgresql", "sqlite"):
            for p in recs[arm]:
                p.send_signal(signal.SIGINT)
            for p in recs[arm]:
                p.wait(timeout=120)
        found = {"postgresql": pg_bodies(pg_uri), "sqlite": {}}
        for path in archives["sqlite"]:
            found["sqlite"].update(sqlite_bodies(path))

        def audit(arm, archived):
            """Sent vs archived for the streams that went through `arm` (by the first letter of their tag)."""
            mine = {t: m for t, m in sent.items() if t[0] == arm[0] or t.startswith(f"warm{arm[0]}")}
            got = [archived.get(t) for t in mine]
            return {"sent_streams": len(mine), "archived": sum(g is not None for g in got),
                    "complete": sum(g is not None and g[0] == "complete" for g in got),
                    "byte_exact": sum(g is not None and g[2] == mine[t] for t, g in zip(mine, got)),
                    "events": sum(g[3] for g in got if g), "extra": len(set(archived) - set(mine))}

        audits = {arm: audit(arm, found[arm]) for arm in ("postgresql", "sqlite")}
        names = {g[1] for t, g in found["postgresql"].items()}
        wrong_recorder = sum(1 for t, g in found["postgresql"].items() if not t.startswith("warm") and g[1] != f"postgresql-{t.split('-')[1]}")

        # copy throughput: the SQLite files into a fresh database, the recorded database into a fresh file.
        def copy(src, dst):
            t0 = time.time()
            out = subprocess.run([str(binary), "copy", src, dst], capture_output=True, text=True, timeout=600)
            if out.returncode:
                raise RuntimeError(f"copy {src} {dst}: {out.stderr}")
            return time.time() - t0, [int(x) for x in re.findall(r"\d+", out.stdout)]

        mb_sqlite = sum(sqlite3.connect(p).execute("SELECT coalesce(sum(length(bytes)), 0) FROM chunks").fetchone()[0]
                        for p in archives["sqlite"]) / 2**20
        mb_pg = int(psql(pg_uri, "SELECT coalesce(sum(octet_length(bytes)), 0) FROM chunks")[0][0]) / 2**20
        copy_uri, copy_file = cluster.new(), str(work / "copy.sqlite")
        copies = []
        secs, counts = 0.0, [0, 0, 0]
        for path in archives["sqlite"]:
            s, c = copy(path, copy_uri)
            secs += s
            counts = [a + b for a, b in zip(counts, c)]
        again = [0, 0, 0]
        for path in archives["sqlite"]:
            again = [a + b for a, b in zip(again, copy(path, copy_uri)[1])]
        copies.append(("SQLite -> PostgreSQL", secs, counts, mb_sqlite, again, audit("sqlite", pg_bodies(copy_uri))))
        s, c = copy(pg_uri, copy_file)
        copies.append(("PostgreSQL -> SQLite", s, c, mb_pg, copy(pg_uri, copy_file)[1], audit("postgresql", sqlite_bodies(copy_file))))

        # Report.
        direct_p99 = pct(stats["direct"]["lat"], 0.99)
        print(f"{RECORDERS} recorders x {STREAMS} streams x {RATE} events/s, {args.rounds} rounds of {args.seconds} s per arm "
              f"(order rotates each round); streamtape {binary}")
        print(f"  {'arm':<11} {'lost':>16} {'p50 ms':>7} {'p99 ms':>7} {'added p99 ms':>12} {'events/s archived':>17} "
              f"{'drain s':>8} {'rec µs/chunk':>12} {'pg µs/chunk':>11}")
        table = {}
        for arm in arms:
            s = stats[arm]
            p50, p99 = pct(s["lat"], 0.5), pct(s["lat"], 0.99)
            a = audits.get(arm)
            rate = a and a["events"] / (s["wall"] + sum(s["drain"]))
            table[arm] = {"added_p99": p99 - direct_p99, "rate": rate, "rec_us": s["rec_cpu"] * 1e6 / max(s["chunks"], 1),
                          "pg_us": s["pg_cpu"] * 1e6 / max(s["chunks"], 1)}
            lost = f"{s['lost']} of {s['expected']}"
            print(f"  {arm:<11} {lost:>16} {p50 / 1000:7.2f} {p99 / 1000:7.2f} "
                  f"{'-' if arm == 'direct' else format((p99 - direct_p99) / 1000, '.2f'):>12} "
                  f"{'-' if not a else format(rate, '.0f'):>17} "
                  f"{'-' if not s['drain'] else format(max(s['drain']), '.1f'):>8} "
                  f"{'-' if arm == 'direct' else format(table[arm]['rec_us'], '.1f'):>12} {table[arm]['pg_us']:11.1f}")
        print("  (events/s archived = events in the archive / (client runs + drain); drain = longest wait after a run until\n"
              "   all its exchanges read complete; µs/chunk = CPU seconds x 1e6 / chunks the clients received;\n"
              "   pg = postmaster + backends, which also serve the other arm's idle heartbeats)")
        pg, sq = table["postgresql"], table["sqlite"]
        added = pg["added_p99"] / sq["added_p99"] if sq["added_p99"] > 0 else None   # none when SQLite added nothing
        print(f"  postgresql / sqlite: events/s archived {pg['rate'] / sq['rate']:.2f}x, added p99 "
              f"{'-' if added is None else format(added, '.2f') + 'x'}, recorder CPU per chunk {pg['rec_us'] / sq['rec_us']:.2f}x, "
              f"recorder + server CPU per chunk {(pg['rec_us'] + pg['pg_us']) / sq['rec_us']:.2f}x")
        print("nothing lost (streams the clients read vs the archive after the recorders stopped):")
        for arm, a in audits.items():
            print(f"  {arm:<11} {a['archived']} of {a['sent_streams']} streams archived, {a['complete']} complete, "
                  f"{a['byte_exact']} byte-exact (md5 of body), {a['events']} events archived of "
                  f"{stats[arm]['chunks'] + 20 * RECORDERS} received, {a['extra']} unexpected")
        print(f"  postgresql recorder names: {', '.join(sorted(names))}; {wrong_recorder} exchange(s) under the wrong name")
        print("streamtape copy (response body MB; each copy then run again, which must copy nothing):")
        for name, secs, (copied, there, recording), mb, (c2, t2, r2), a in copies:
            print(f"  {name:<21} copied {copied} in {secs:.1f} s: {copied / secs:.1f} exchanges/s, {mb / secs:.1f} MB/s "
                  f"({mb:.1f} MB); already there {there}, still recording {recording}; "
                  f"again: copied {c2}, already there {t2}; {a['byte_exact']} of {a['sent_streams']} byte-exact")
        la = os.getloadavg()
        print(f"machine: {os.cpu_count()} cores, load average {load_at_start[0]:.2f} {load_at_start[1]:.2f} "
              f"{load_at_start[2]:.2f} at start, {la[0]:.2f} {la[1]:.2f} {la[2]:.2f} at end (shared: compare arms, not absolutes)")
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    p.kill()
        if cluster:
            cluster.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
