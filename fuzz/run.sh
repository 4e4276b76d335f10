#!/bin/sh
# Runs the fuzz targets, one after another, and keeps what they learn.
#
#   fuzz/run.sh [RUNS] [TARGET...]
#
# RUNS is the number of executions per target (default 10000000; 0 for no
# bound); the targets default to all three. FUZZ_SECONDS=N also bounds each
# run by time, whichever comes first. Each run starts from the committed seeds
# (fuzz/seeds/TARGET) plus the working corpus (fuzz/corpus/TARGET, not
# committed), stops at the first crash, timeout (10 s) or memory blow-up
# (512 MB), prints libFuzzer's final statistics to fuzz/logs/TARGET.log,
# then minimises the corpus and adds its smallest inputs to fuzz/seeds/TARGET. Needs cargo-fuzz
# (`cargo install cargo-fuzz`) and a nightly toolchain. Sanitizers are off:
# plancheck forbids unsafe code, and without them the budget buys 3x the
# executions; pass FUZZ_SANITIZER=address to turn AddressSanitizer on.
# FUZZ_TRACE_COMPARES=0 builds without comparison tracing: about three
# times the executions, with less guidance for the mutator (for long
# runs on a corpus already grown with it).
#
# Two runs of one target may share its corpus (start the second in another
# shell): libFuzzer reads what the other adds, and their counts add up.
set -eu
cd "$(dirname "$0")"
runs=${1:-10000000}
[ $# -gt 0 ] && shift
targets=${*:-"rules submission workbook"}
[ "$runs" = 0 ] && runs=-1
sanitizer=${FUZZ_SANITIZER:-none}
flags="-O -s $sanitizer"
[ "${FUZZ_TRACE_COMPARES:-1}" = 0 ] && flags="$flags --no-trace-compares"
mkdir -p logs
# shellcheck disable=SC2086 # the flags are words
cargo +nightly fuzz build $flags
for t in $targets; do
    mkdir -p "corpus/$t"
    cp -n seeds/"$t"/* "corpus/$t/" 2>/dev/null || true
    echo "== $t: $runs runs"
    budget="-runs=$runs"
    [ -n "${FUZZ_SECONDS:-}" ] && budget="$budget -max_total_time=$FUZZ_SECONDS"
    # Inputs are kept small so the budget buys executions: 4 KiB of text
    # reaches every reader's states; a workbook needs room for its zip or
    # BIFF structure (the DIMENSIONS crash was a 13.8 KB .xls).
    max_len=${FUZZ_MAX_LEN:-$([ "$t" = workbook ] && echo 16384 || echo 4096)}
    log="logs/$t${FUZZ_LOG_SUFFIX:-}"
    # shellcheck disable=SC2086
    cargo +nightly fuzz run $flags "$t" "corpus/$t" -- \
        $budget -timeout=10 -rss_limit_mb=512 -max_len="$max_len" \
        -print_final_stats=1 > "$log.full.log" 2>&1 || true
    # The whole run stays in logs/TARGET.full.log (the counts of a run
    # that stops at a finding are in its last pulse lines).
    grep -E '^#[0-9]+|^stat::|Done|ERROR|SUMMARY' "$log.full.log" | tail -n 12 | tee "$log.log"
    [ -n "${FUZZ_NO_CMIN:-}" ] && continue
    # shellcheck disable=SC2086
    cargo +nightly fuzz cmin $flags "$t" "corpus/$t" -- -max_len="$max_len" >/dev/null 2>&1
    # The committed seeds stay small: the hand-made ones, plus the smallest
    # inputs of the minimised corpus (at most 200 of at most 2 KiB).
    find "corpus/$t" -type f -size -2049c -printf '%s %p\n' | sort -n | head -n 200 |
        cut -d' ' -f2- | while read -r f; do cp -n "$f" "seeds/$t/"; done
done
