#!/bin/sh
# Runs the fuzz targets, one after another, and keeps what they learn.
#
#   fuzz/run.sh [RUNS] [TARGET...]
#
# RUNS is the number of executions per target (default 10000000); the
# targets default to all three. FUZZ_SECONDS=N bounds each run by time instead. Each run starts from the committed seeds
# (fuzz/seeds/TARGET) plus the working corpus (fuzz/corpus/TARGET, not
# committed), stops at the first crash, timeout (10 s) or memory blow-up
# (512 MB), prints libFuzzer's final statistics to fuzz/logs/TARGET.log,
# then minimises the corpus and adds its smallest inputs to fuzz/seeds/TARGET. Needs cargo-fuzz
# (`cargo install cargo-fuzz`) and a nightly toolchain. Sanitizers are off:
# plancheck forbids unsafe code, and without them the budget buys 3x the
# executions; pass FUZZ_SANITIZER=address to turn AddressSanitizer on.
set -eu
cd "$(dirname "$0")"
runs=${1:-10000000}
[ $# -gt 0 ] && shift
targets=${*:-"rules submission workbook"}
sanitizer=${FUZZ_SANITIZER:-none}
mkdir -p logs
cargo +nightly fuzz build -O -s "$sanitizer"
for t in $targets; do
    mkdir -p "corpus/$t"
    cp -n seeds/"$t"/* "corpus/$t/" 2>/dev/null || true
    echo "== $t: $runs runs"
    if [ -n "${FUZZ_SECONDS:-}" ]; then budget="-max_total_time=$FUZZ_SECONDS"; else budget="-runs=$runs"; fi
    # Inputs are kept small so the budget buys executions: 4 KiB of text
    # reaches every reader's states; a workbook needs room for its zip or
    # BIFF structure (the DIMENSIONS crash was a 13.8 KB .xls).
    max_len=${FUZZ_MAX_LEN:-$([ "$t" = workbook ] && echo 16384 || echo 4096)}
    cargo +nightly fuzz run -O -s "$sanitizer" "$t" "corpus/$t" -- \
        "$budget" -timeout=10 -rss_limit_mb=512 -max_len="$max_len" \
        -print_final_stats=1 > "logs/$t.full.log" 2>&1 || true
    # The whole run stays in logs/TARGET.full.log (the counts of a run
    # that stops at a finding are in its last pulse lines).
    grep -E '^#[0-9]+|^stat::|Done|ERROR|SUMMARY' "logs/$t.full.log" | tail -n 12 | tee "logs/$t.log"
    cargo +nightly fuzz cmin -O -s "$sanitizer" "$t" "corpus/$t" -- -max_len="$max_len" >/dev/null 2>&1
    # The committed seeds stay small: the hand-made ones, plus the smallest
    # inputs of the minimised corpus (at most 200 of at most 2 KiB).
    find "corpus/$t" -type f -size -2049c -printf '%s %p\n' | sort -n | head -n 200 |
        cut -d' ' -f2- | while read -r f; do cp -n "$f" "seeds/$t/"; done
done
