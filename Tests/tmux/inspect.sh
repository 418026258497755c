#!/usr/bin/env bash
# Runs the inspector's end-to-end scripts (Python driving tmux, see tmuxdrive.py) against the binary
# at $STREAMTAPE_BIN. Each script uses a private tmux socket, bounded waits, and stops by itself.
set -euo pipefail
cd "$(dirname "$0")"
command -v tmux >/dev/null || { echo "tmux is not installed (apt-get install tmux)" >&2; exit 1; }
for t in inspect*_e2e.py; do
    echo "-- $t"
    timeout 300 python3 "$t"
done
