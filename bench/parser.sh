#!/usr/bin/env bash
# Parser and core throughput (release build): MB/s and events/s on the corpus and on a synthetic
# 1,000,000-event stream. Usage: bench/parser.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product streamtape-bench >&2
.build/release/streamtape-bench Tests/StreamtapeCoreTests/Fixtures/real-streams
