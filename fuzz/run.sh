#!/usr/bin/env bash
# Builds and runs one libFuzzer target: fuzz/run.sh TARGET SECONDS [LIBFUZZER_OPTION...]
#   TARGET: analysis | tape | replay (fuzz/targets/TARGET.swift: the core sources are compiled straight
#   into the fuzzer with the entry file), or cassette | har | record-http | replay-http (the SwiftPM
#   package fuzz/harness, which depends on the main package by path). Options are passed on (e.g. -max_len=4096).
# Build, corpus and crash files live in fuzz/.build-fuzz (ignored by git).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
target="${1:?usage: fuzz/run.sh TARGET SECONDS}"
seconds="${2:?usage: fuzz/run.sh TARGET SECONDS}"
entry="$here/targets/$target.swift"
harness="$here/harness"
out="$here/.build-fuzz"
mkdir -p "$out"
if [[ -f "$entry" ]]; then
    bin="$out/fuzz-$target"
    mapfile -t core < <(find "$root/Sources/StreamtapeCore" -name '*.swift' | sort)
    if [[ ! -x "$bin" || -n "$(find "$entry" "${core[@]}" -newer "$bin" | head -1)" ]]; then
        echo "building $bin"
        swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name StreamtapeFuzz \
            "${core[@]}" "$entry" -o "$bin" 2> >(grep -v "ld.gold: warning: Cannot export local symbol" >&2)
    fi
elif [[ -d "$harness/Sources/$target" ]]; then
    # SwiftPM rebuilds only what changed (the main package's sources included).
    echo "building fuzz-$target (fuzz/harness)"
    swift build --package-path "$harness" --build-path "$out/harness" -c release --product "fuzz-$target" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing -Xswiftc -g \
        >"$out/build-$target.log" 2>&1 || { grep -E "error" "$out/build-$target.log" >&2; echo "run.sh: build failed, see $out/build-$target.log" >&2; exit 2; }
    bin="$out/harness/release/fuzz-$target"
else
    have="$(ls "$here/targets" | sed 's/\.swift$//' | tr '\n' ' ')$(ls "$harness/Sources" | grep -v FuzzSupport | tr '\n' ' ')"
    echo "run.sh: no target '$target' (have: $have)" >&2; exit 2
fi

corpus="$out/corpus-$target"
seeds="$out/seeds-$target"
rm -rf "$seeds"
python3 "$here/seeds.py" "$target" "$seeds"
mkdir -p "$corpus" "$out/crashes-$target"
log="$out/$target.log"
dict=()
[[ -f "$here/dicts/$target.dict" ]] && dict=(-dict="$here/dicts/$target.dict")

# The Swift runtime's own crash reporter hangs under ASan; libFuzzer and ASan print the stack instead.
# Leak checking is off: the runtime's metadata caches stay allocated until exit and read as leaks.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:symbolize=1}"
set +e
"$bin" "$corpus" "$seeds" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$out/crashes-$target/" "${dict[@]}" "${@:3}" >"$log" 2>&1
status=$?
set -e
grep -P '^#\d+\s+(INITED|DONE)' "$log" || true
grep -E '^(Done [0-9]+ runs|stat::|==[0-9]+==ERROR|SUMMARY|artifact_prefix|.*Test unit written)' "$log" || true
echo "corpus: $(ls "$corpus" | wc -l) files in $corpus"
echo "result: $([[ $status == 0 ]] && echo "no crash in $seconds s" || echo "exit $status, see $log and $out/crashes-$target")"
exit $status
