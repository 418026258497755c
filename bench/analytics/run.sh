#!/usr/bin/env bash
# Analytics benchmark: `stats` and filtered `list` over an archive of 100,000 exchanges (target: stats < 1 s).
#   bench/analytics/run.sh [N]
# Env: STREAMTAPE_BIN (default .build/release/streamtape), OUT (default a temp folder, kept).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${STREAMTAPE_BIN:-.build/release/streamtape}
OUT=${OUT:-$(mktemp -d /tmp/streamtape-bench-analytics.XXXXXX)}
N=${1:-100000}
[[ -x "$BIN" ]] || { echo "no binary at $BIN (swift build -c release, or set STREAMTAPE_BIN)" >&2; exit 2; }

ARCHIVE="$OUT/bench.sqlite"; rm -f "$ARCHIVE"*
"$BIN" import --archive "$ARCHIVE" captures/*.tape.jsonl >/dev/null 2>&1
python3 bench/analytics/grow-archive.py "$ARCHIVE" "$N"

# Prints "label  wall  cpu (user+sys)  max-RSS" of the best of 3 runs (GNU time), output discarded.
# On a shared, loaded machine the CPU time is the steadier figure.
measure() {
  local label=$1; shift
  local best="" cpu="" rss=0
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" "$@" >/dev/null
    read -r secs user sys kib < "$OUT/time.txt"
    if [[ -z "$best" ]] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; cpu=$(awk "BEGIN{print $user + $sys}"); rss=$kib; fi
  done
  printf '%-42s %6.2f s wall %6.2f s cpu %8d KiB\n' "$label" "$best" "$cpu" "$rss"
}

echo "analytics benchmark: $N exchanges; files in $OUT"
measure "stats" "$BIN" stats --archive "$ARCHIVE"
measure "stats --by model" "$BIN" stats --by model --archive "$ARCHIVE"
measure "stats --by tag --json" "$BIN" stats --by tag --json --archive "$ARCHIVE"
measure "stats --by day --since 2026-11-30" "$BIN" stats --by day --since 2026-11-30 --archive "$ARCHIVE"
measure "list --sort ttfc --desc --limit 20" "$BIN" list --sort ttfc --desc --limit 20 --archive "$ARCHIVE"
measure "list --code stall --json" "$BIN" list --code stall --json --archive "$ARCHIVE"
