#!/bin/bash
# The floor for replay timing on this machine: bench/record/loadgen.c's paced SSE upstream (C,
# single-threaded epoll, a timerfd at absolute deadlines) stamping each event with its due time,
# read by loadgen's C client. The client's latency is then a minimal paced server's timing error
# per chunk, at the replay benchmark's rates: 1 stream of 1,000 chunks, and 100 and 1,000 streams
# of 40 chunks, 50 ms apart. Compare it with replay-bench's error "from the head's arrival", which
# is also counted from the server's own start.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'kill "${up:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
cc -O2 -o "$work/loadgen" "$here/../record/loadgen.c"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "streams  chunks  p50 ms  p99 ms  max ms   (C paced server, error against each chunk's deadline)"
for streams in 1 100 1000; do
  rm -f "$work/port"
  LOADGEN_STAMP=deadline "$work/loadgen" upstream "$work/port" & up=$!
  for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.05; done
  events=$(( streams == 1 ? 1000 : 40 ))
  "$work/loadgen" client "$(cat "$work/port")" "$streams" "$events" 50000 | python3 -c '
import json, sys
r = json.load(sys.stdin)
print("%7d %7d %7.3f %7.3f %7.3f   lost %d" % (r["streams"], r["received"], r["p50_us"] / 1000, r["p99_us"] / 1000, r["max_us"] / 1000, r["lost"]))'
  kill "$up"; wait "$up" 2>/dev/null || true
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
