#!/usr/bin/env bash
# Archive benchmark: times the archive through the streamtape CLI (the real code path), one run.
#   bench/archive/run.sh [--quick]
# Needs `import`, `list` and `show` subcommands; until they exist it stops with a clear message.
# Env: STREAMTAPE_BIN (default .build/release/streamtape), OUT (default a temp folder, kept).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${STREAMTAPE_BIN:-.build/release/streamtape}
OUT=${OUT:-$(mktemp -d /tmp/streamtape-bench-archive.XXXXXX)}
BIG=1000000; MANY=10000
if [[ "${1:-}" == "--quick" ]]; then BIG=100000; MANY=1000; fi

[[ -x "$BIN" ]] || { echo "no binary at $BIN (swift build -c release, or set STREAMTAPE_BIN)" >&2; exit 2; }
for cmd in import list show; do
  "$BIN" "$cmd" --help >/dev/null 2>&1 || { echo "streamtape $cmd does not exist yet: nothing to measure" >&2; exit 2; }
done

ARCHIVE="$OUT/bench.sqlite"; rm -f "$ARCHIVE"*
export STREAMTAPE_ARCHIVE="$ARCHIVE"
python3 bench/archive/make-tape.py "$OUT/big.tape.jsonl" "$BIG" 64
python3 bench/archive/make-tape.py "$OUT/small.tape.jsonl" 100 64

# Prints "label seconds max-RSS-KiB" for one command (GNU time), output discarded.
measure() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >/dev/null
  read -r secs rss < "$OUT/time.txt"
  printf '%-40s %8.2f s %10d KiB\n' "$label" "$secs" "$rss"
}

echo "archive benchmark: $BIG-chunk exchange, $MANY small exchanges; files in $OUT"
measure "import 1 exchange of $BIG chunks" "$BIN" import "$OUT/big.tape.jsonl"
measure "import $MANY exchanges of 100 chunks" bash -c \
  "for i in \$(seq $MANY); do echo '$OUT/small.tape.jsonl'; done | xargs '$BIN' import"
measure "list (all rows)" "$BIN" list
measure "show 1 (full load of $BIG chunks)" "$BIN" show 1
ls -l "$ARCHIVE" | awk '{printf "%-40s %10d bytes\n", "archive size", $5}'
