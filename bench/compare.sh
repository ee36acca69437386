#!/usr/bin/env bash
# Times `wixcheck order` and `wixcheck check` against the floor (a bare quick-xml pass) on
# one input, alternating runs, and prints median wall times, peak memory and the ratios.
#   bash bench/compare.sh FILE.wxs [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
file=$1; runs=${2:-5}
cargo build --quiet --release --locked --bins --examples
python3 - "$file" "$runs" <<'PY'
import statistics, subprocess, sys, time, resource
file, runs = sys.argv[1], int(sys.argv[2])
commands = {
    "floor": ["target/release/examples/floor", file],
    "order": ["target/release/wixcheck", "order", "--format", "json", file],
    "check": ["target/release/wixcheck", "check", "--format", "json", file],
}
times = {name: [] for name in commands}
peaks = {}
for _ in range(runs):
    for name, command in commands.items():
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[name].append(time.perf_counter() - start)
for name, command in commands.items():
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peaks[name] = int(out.stderr.strip().splitlines()[-1]) / 1024
floor = statistics.median(times["floor"])
print(f"input: {file}")
for name in commands:
    median = statistics.median(times[name])
    print(f"{name:6} median {median*1000:8.1f} ms   peak {peaks[name]:7.1f} MiB   ratio to floor {median/floor:5.2f}")
PY
