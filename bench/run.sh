#!/usr/bin/env bash
# wixcheck's benchmark: builds the release binaries, generates the inputs into
# target/bench-inputs/ (cached), runs `wixcheck check` and `order`, the floor (a bare
# quick-xml pass, examples/floor.rs), `xmllint --noout` and `wixl -E` on each input in
# alternating rounds, and prints median wall time, peak memory and the ratios (bench/measure.py).
#
#   bash bench/run.sh                # the full run (inputs up to 100 MiB, 5 rounds): reports
#   bash bench/run.sh --quick        # CI: small inputs, 3 rounds; exits 3 on a regression
#   bash bench/run.sh --rounds 9     # more rounds on a noisy machine
#
# The quick run's limits: WIXCHECK_BENCH_MAX_RATIO (check time / floor time, default 3.0) and
# WIXCHECK_BENCH_MAX_MEMORY (check peak memory / input size, default 3.0).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release --locked --bins --examples
exec python3 bench/measure.py "$@"
