#!/usr/bin/env bash
# Parser and core throughput (release build): MB/s and events/s per CPU second (one core) on the corpus
# and on a synthetic 1,000,000-event stream, best of several rounds; then the C floor for the parser row
# (bench/parser-floor.c: the same split-and-copy job with nothing checked). Usage: bench/parser.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product streamtape-bench >&2
.build/release/streamtape-bench Tests/StreamtapeCoreTests/Fixtures/real-streams
cc -O2 -o .build/release/parser-floor bench/parser-floor.c
.build/release/parser-floor
