#!/usr/bin/env python3
"""The measuring half of `bench/run.sh` (which builds the release binaries, then runs this).

Generates the inputs into target/bench-inputs/ (cached, regenerated when bench/generate.py
or the sizes change), runs every tool on every input in alternating rounds (round robin, so
noise on a shared machine spreads over all tools and inputs alike), and prints per input the
median wall time, the median CPU time, the peak resident memory, the ratio to the floor's time and the ratio of the peak
to the input size; then the goals of issue 8 with PASS/FAIL. The full run only reports. The
quick run (`--quick`, for CI) exits 3 when `wixcheck check` on the package is slower than
MAX_RATIO times the floor or its peak memory exceeds MAX_MEMORY times the input size.

Python 3.11, standard library only.
"""
import argparse
import datetime
import hashlib
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATOR = os.path.join(ROOT, "bench", "generate.py")
INPUTS = os.path.join(ROOT, "target", "bench-inputs")
WIXCHECK = os.path.join(ROOT, "target", "release", "wixcheck")
FLOOR = os.path.join(ROOT, "target", "release", "examples", "floor")
MEBIBYTE = 1024 * 1024

# The goals of issue 8, checked on the full-size inputs.
GOAL_FLOOR_RATIO = 1.5  # `check` on the 50 MiB package within 1.5x the floor's time
GOAL_MEMORY_RATIO = 2.0  # and its peak memory within 2x the input size
GOAL_FLATNESS = 1.3  # ms/MiB of `check`: the slowest package size within 1.3x the fastest
GOAL_NUMBERING_MS = 100.0  # the 100,000-action chain numbered in under 100 ms
GOAL_JOBS_SPEEDUP = 1.6  # the 2,000-file project at least 1.6x faster with --jobs 2

# The flatness goal compares package sizes with each other, so the full run measures it in a
# series of its own: `check` and the floor on every package size back to back, SERIES_FACTOR
# times as many rounds as the tables (a round takes about 2 s), the sizes forwards in one
# round and backwards in the next. In the tables' round robin the sizes run seconds apart,
# between long xmllint and wixl runs, and this machine's speed swings by up to two times
# within a minute: there the bare floor itself once measured 1.39x from its fastest size
# per MiB to its slowest.
SERIES_FACTOR = 3

# The quick run's regression guard (CI). Before the performance work (main at 3ba1dc1)
# check took 5-10x the floor's time on the 10 MiB package and peaked at 13.4x its size;
# after it (issue 8), 2.9x and 2.3x in CI. The limits leave about half again of headroom,
# as runs on a shared 2-core machine vary by tens of percent and a small input carries the
# process's fixed costs: they catch a large regression, not a slow day.
MAX_RATIO = float(os.environ.get("WIXCHECK_BENCH_MAX_RATIO", "4.5"))
MAX_MEMORY = float(os.environ.get("WIXCHECK_BENCH_MAX_MEMORY", "3.5"))
# The quick run's exit status when the guard fails (any other failure is a broken benchmark).
GUARD_FAILED = 3

FULL = {"packages": [5, 10, 25, 50, 100], "main": 50, "chain": 100_000, "files": 2_000,
        "diagnostics": 10_000, "rounds": 5}
QUICK = {"packages": [10], "main": 10, "chain": 20_000, "files": 500,
         "diagnostics": 2_000, "rounds": 3}


class Input:
    """One generated input: its kind (package, chain, project, diagnostics), its name, the
    paths the tools read, and the tools to run on it."""

    def __init__(self, kind, name, paths, tools):
        self.kind, self.name, self.paths, self.tools = kind, name, paths, tools
        self.size = sum(os.path.getsize(path) for path in paths)

    def tool(self, role):
        return next(tool for tool in self.tools if tool.role == role)


class Tool:
    """A command and what came of its runs: wall times, peak RSS, stderr.

    The peak comes from `wait4`'s `ru_maxrss`. Linux counts in it the memory of the process
    that forked the child (this script) up to the `exec`, so a peak at or below this script's
    own peak only says "at most that much": `peak_is_bound` marks it."""

    def __init__(self, role, label, argv, ok=(0,)):
        self.role, self.label, self.argv, self.ok = role, label, argv, ok
        self.times, self.cpu_times, self.peaks = [], [], []
        self.failure = None
        self.stderrs = []
        self.peak_is_bound = False
        self.exit_codes = set()

    def run(self):
        if self.failure:
            return
        with tempfile.TemporaryFile() as errors:
            try:
                start = time.perf_counter()
                process = subprocess.Popen(self.argv, stdout=subprocess.DEVNULL, stderr=errors)
                _, status, usage = os.wait4(process.pid, 0)
                elapsed = time.perf_counter() - start
            except OSError as error:
                self.failure = f"failed ({error.strerror})"
                return
            # After the run: starting the child may have grown this script a little, and the
            # child inherits the peak it had then.
            parent_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            process.returncode = os.waitstatus_to_exitcode(status)
            errors.seek(0)
            stderr = errors.read().decode("utf-8", "replace")
        if process.returncode not in self.ok:
            first = next((line for line in stderr.splitlines() if line.strip()), "")
            self.failure = f"failed (exit {process.returncode}: {first.strip()[:100]})"
            return
        self.times.append(elapsed)
        self.cpu_times.append(usage.ru_utime + usage.ru_stime)
        self.peaks.append(usage.ru_maxrss * 1024)
        self.peak_is_bound = max(self.peaks) <= parent_peak
        self.stderrs.append(stderr)
        self.exit_codes.add(process.returncode)

    def fresh(self):
        """The same command, with no runs yet."""
        return Tool(self.role, self.label, self.argv, self.ok)

    def median_ms(self):
        return statistics.median(self.times) * 1000 if self.times else None

    def median_cpu_ms(self):
        return statistics.median(self.cpu_times) * 1000 if self.cpu_times else None

    def peak(self):
        return max(self.peaks) if self.peaks else None


def generate(name, kind, *arguments):
    """Runs the generator unless target/bench-inputs/ already holds this input from the same
    generator source and arguments; returns the input's path."""
    out = os.path.join(INPUTS, name)
    with open(GENERATOR, "rb") as source:
        stamp = hashlib.sha256(source.read() + repr((kind, arguments)).encode()).hexdigest()
    stamp_path = out + ".stamp"
    if os.path.exists(out) and os.path.exists(stamp_path):
        with open(stamp_path) as stamp_file:
            if stamp_file.read() == stamp:
                return out
    if os.path.isdir(out):
        shutil.rmtree(out)
    started = time.perf_counter()
    subprocess.run([sys.executable, GENERATOR, kind, out, *map(str, arguments)], check=True)
    print(f"generated {name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    with open(stamp_path, "w") as stamp_file:
        stamp_file.write(stamp)
    return out


def peers(paths):
    return [
        Tool("floor", "floor (quick-xml pass)", [FLOOR, *paths]),
        Tool("xmllint", "xmllint --noout", ["xmllint", "--noout", *paths]),
        Tool("wixl", "wixl -E (preprocess)", ["wixl", "-E", *paths]),
    ]


def wixcheck(role, label, command, *arguments):
    """`wixcheck COMMAND ARGUMENTS`; exit status 1 (findings) is a normal outcome."""
    return Tool(role, label, [WIXCHECK, command, *arguments], ok=(0, 1))


def has_timings():
    help_text = subprocess.run([WIXCHECK, "order", "--help"], capture_output=True, text=True).stdout
    return "--timings" in help_text


def inputs(sizes, timings):
    made = []
    os.makedirs(INPUTS, exist_ok=True)
    for megabytes in sizes["packages"]:
        path = generate(f"package-{megabytes}mib.wxs", "package", "--megabytes", megabytes)
        made.append(Input("package", f"package of {megabytes} MiB", [path], [
            wixcheck("check", "wixcheck check", "check", "--format", "json", path),
            wixcheck("order", "wixcheck order", "order", "--format", "json", path),
            *peers([path])]))
    path = generate(f"chain-{sizes['chain']}.wxs", "chain", "--actions", sizes["chain"])
    timing = ["--timings"] if timings else []
    made.append(Input("chain", f"chain of {sizes['chain']:,} actions", [path], [
        wixcheck("check", "wixcheck check", "check", "--format", "json", path),
        wixcheck("order", " ".join(["wixcheck order", *timing]), "order", "--format", "json", *timing, path),
        *peers([path])]))
    directory = generate(f"project-{sizes['files']}", "project", "--files", sizes["files"])
    files = sorted(os.path.join(directory, name) for name in os.listdir(directory) if name.endswith(".wxs"))
    made.append(Input("project", f"project of {sizes['files']:,} fragment files and Product.wxs", files, [
        wixcheck("check", "wixcheck check --jobs 1", "check", "--format", "json", "--jobs", "1", directory),
        wixcheck("parallel", "wixcheck check --jobs 2", "check", "--format", "json", "--jobs", "2", directory),
        wixcheck("order", "wixcheck order", "order", "--format", "json", directory),
        *peers(files)]))
    path = generate(f"diagnostics-{sizes['diagnostics']}.wxs", "diagnostics", "--count", sizes["diagnostics"])
    made.append(Input("diagnostics", f"file with {sizes['diagnostics']:,} diagnostics", [path], [
        wixcheck("human", "wixcheck check --format human", "check", "--format", "human", "--color", "never", path),
        wixcheck("check", "wixcheck check --format json", "check", "--format", "json", path),
        *peers([path])]))
    return made


def machine():
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "?"
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / MEBIBYTE:.1f} GiB"
    commit = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip() or "?"
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"machine: {len(os.sched_getaffinity(0))} cores ({cpu}), {memory} memory, "
            f"{platform.system()} {platform.release()}\ndate: {now}; wixcheck at {commit}")


def version(argv):
    try:
        done = subprocess.run(argv, capture_output=True, text=True)
    except OSError:
        return "not installed"
    return (done.stdout + done.stderr).strip().splitlines()[0] if (done.stdout + done.stderr).strip() else "?"


def print_table(entry):
    floor = entry.tool("floor")
    print(f"\n{entry.name}: {entry.size / MEBIBYTE:.1f} MiB in {len(entry.paths)} file(s)")
    print(f"  {'tool':34} {'median ms':>10} {'cpu ms':>9} {'peak MiB':>9} {'x floor':>8} {'peak/input':>11}")
    for tool in entry.tools:
        if tool.failure:
            print(f"  {tool.label:34} {tool.failure}")
            continue
        median, peak = tool.median_ms(), tool.peak()
        ratio = f"{median / floor.median_ms():8.2f}" if not floor.failure else f"{'n/a':>8}"
        bound = "<=" if tool.peak_is_bound else ""
        print(f"  {tool.label:34} {median:10.1f} {tool.median_cpu_ms():9.1f} {bound + f'{peak / MEBIBYTE:.1f}':>9} {ratio} "
              f"{bound + f'{peak / entry.size:.2f}':>11}")
    findings = [tool.label for tool in entry.tools if tool.argv[0] == WIXCHECK and 1 in tool.exit_codes]
    if findings:
        print(f"  ({', '.join(findings)}: exit status 1, the input has findings)")


def measured_ratios(entry, role="check"):
    """(time of `role` / floor time, peak of `role` / input size), or None if either failed."""
    tool, floor = entry.tool(role), entry.tool("floor")
    if tool.failure or floor.failure:
        return None
    return tool.median_ms() / floor.median_ms(), tool.peak() / entry.size


def sequence_ms(tool):
    """The median over the runs of the `timing sequence <ms>` line that
    `wixcheck order --timings` prints on stderr; None if no run printed one."""
    found = [float(match) for stderr in tool.stderrs
             for match in re.findall(r"^timing sequence ([0-9.]+)", stderr, re.MULTILINE)]
    return statistics.median(found) if found else None


def goal(passed, text):
    print(f"  {'n/a ' if passed is None else 'PASS' if passed else 'FAIL'}  {text}")


def linearity_series(packages, rounds):
    """Runs `check` and the floor on every package back to back, `rounds` times (see
    SERIES_FACTOR); returns (package, check, floor) per package."""
    series = [(entry, entry.tool("check").fresh(), entry.tool("floor").fresh()) for entry in packages]
    for number in range(rounds):
        print(f"linearity round {number + 1} of {rounds}", file=sys.stderr, flush=True)
        for _, check, floor in series if number % 2 == 0 else reversed(series):
            check.run()
            floor.run()
    return series


def flatness(per_mebibyte):
    """The slowest ms/MiB over the fastest, or None with fewer than two sizes measured."""
    return max(per_mebibyte) / min(per_mebibyte) if len(per_mebibyte) > 1 else None


def print_linearity(rows, heading):
    """Prints ms/MiB of `check` and the floor per package; returns check's and the floor's
    flatness."""
    print(f"\n{heading}")
    checks, floors = [], []
    for entry, check, floor in rows:
        if check.failure or floor.failure:
            print(f"  {entry.name:22} {check.failure or floor.failure}")
            continue
        mebibytes = entry.size / MEBIBYTE
        checks.append(check.median_ms() / mebibytes)
        floors.append(floor.median_ms() / mebibytes)
        print(f"  {entry.name:22} check {checks[-1]:7.2f} ms/MiB (cpu {check.median_cpu_ms() / mebibytes:7.2f})   "
              f"floor {floors[-1]:7.2f} ms/MiB (cpu {floor.median_cpu_ms() / mebibytes:7.2f})")
    flat = flatness(checks), flatness(floors)
    if flat[0]:
        print(f"  slowest over fastest: check {flat[0]:.2f}x, floor {flat[1]:.2f}x")
    return flat


def report(entries, sizes, timings, series):
    """Prints the tables, the views the goals need (linearity, numbering, jobs, rendering) and
    the goals; returns the main package's `measured_ratios`. `series` is the linearity
    series, or None."""
    for entry in entries:
        print_table(entry)
    by_kind = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, []).append(entry)

    packages = [(entry, entry.tool("check"), entry.tool("floor")) for entry in by_kind["package"]]
    print_linearity(packages, "linearity in the tables above (wixcheck check, ms per MiB of input):")
    flat = None
    if series:
        flat, _ = print_linearity(series, f"linearity series ({len(series[0][1].times)} rounds of the "
                                          "packages back to back, median ms per MiB):")

    chain = by_kind["chain"][0]
    order = chain.tool("order")
    numbering = None if order.failure else sequence_ms(order)
    if not timings:
        shown = "n/a (no --timings)"
    elif order.failure:
        shown = order.failure
    else:
        shown = "n/a (no `timing sequence` line)" if numbering is None else f"{numbering:.1f} ms (median)"
    print(f"\n{chain.name}: sequence stage of `wixcheck order --timings`: {shown}")

    project = by_kind["project"][0]
    serial, parallel = project.tool("check"), project.tool("parallel")
    speedup = None
    if not serial.failure and not parallel.failure:
        speedup = serial.median_ms() / parallel.median_ms()
        print(f"{project.name}: check --jobs 2 is {speedup:.2f}x as fast as --jobs 1")
        # The same work on two threads: more CPU time means the two cores slowed each other
        # (on a shared virtual machine, its host's other load), which caps the speedup.
        cpu = parallel.median_cpu_ms() / serial.median_cpu_ms()
        print(f"  and takes {cpu:.2f}x the CPU time of --jobs 1 for the same work")

    rendered = by_kind["diagnostics"][0]
    human, plain = rendered.tool("human"), rendered.tool("check")
    if not human.failure:
        counts = re.search(r"(\d+) error\(s\), (\d+) warning\(s\), (\d+) info", human.stderrs[-1])
        count = f"{sum(map(int, counts.groups())):,}" if counts else "?"
        versus = "" if plain.failure else f" (--format json: {plain.median_ms():.1f} ms)"
        print(f"{rendered.name}: --format human rendered {count} diagnostics in {human.median_ms():.1f} ms{versus}")

    main_entry = next(entry for entry in by_kind["package"] if entry.name.endswith(f" {sizes['main']} MiB"))
    main = measured_ratios(main_entry)
    print(f"\ngoals (issue 8){'; quick inputs, the goals are for the full run' if sizes is QUICK else ''}:")
    goal(main and main[0] <= GOAL_FLOOR_RATIO, f"check on the {main_entry.name} within {GOAL_FLOOR_RATIO}x the floor: "
         + (f"{main[0]:.2f}x" if main else "not measured"))
    goal(main and main[1] <= GOAL_MEMORY_RATIO, f"its peak memory within {GOAL_MEMORY_RATIO}x the input: "
         + (f"{main[1]:.2f}x" if main else "not measured"))
    if flat:
        goal(flat <= GOAL_FLATNESS, f"ms/MiB flat from {sizes['packages'][0]} to {sizes['packages'][-1]} MiB "
             f"(slowest within {GOAL_FLATNESS}x the fastest, in the linearity series): {flat:.2f}x")
    else:
        goal(None, "ms/MiB flat: needs several package sizes (the full run)")
    goal(None if numbering is None else numbering < GOAL_NUMBERING_MS,
         f"{chain.name} numbered in under {GOAL_NUMBERING_MS:.0f} ms: " + (f"{numbering:.1f} ms" if numbering is not None else shown))
    goal(speedup and speedup >= GOAL_JOBS_SPEEDUP, f"{project.name} at least {GOAL_JOBS_SPEEDUP}x faster with --jobs 2: "
         + (f"{speedup:.2f}x" if speedup else "not measured"))
    return main


def main():
    parser = argparse.ArgumentParser(description="wixcheck's benchmark (run it through bench/run.sh)")
    parser.add_argument("--quick", action="store_true", help="small inputs, 3 rounds, regression guard")
    parser.add_argument("--rounds", type=int, help="rounds of alternating runs (default 5, quick 3)")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    rounds = args.rounds or sizes["rounds"]
    timings = has_timings()
    entries = inputs(sizes, timings)
    print(machine())
    print(f"tools: {version([WIXCHECK, '--version'])}; {version(['xmllint', '--version'])}; "
          f"wixl {version(['wixl', '--version'])}")
    print(f"{'quick' if args.quick else 'full'} run: {rounds} alternating rounds; median wall time, "
          "CPU time (user + system), peak RSS (the largest of the runs)")
    started = time.perf_counter()
    # Round robin over every tool of every input, so that a busy spell on a shared machine
    # falls on all inputs alike, not on one package size.
    for round_number in range(1, rounds + 1):
        print(f"round {round_number} of {rounds}", file=sys.stderr, flush=True)
        for entry in entries:
            for tool in entry.tools:
                tool.run()
    packages = [entry for entry in entries if entry.kind == "package"]
    series = linearity_series(packages, rounds * SERIES_FACTOR) if len(packages) > 1 else None
    measured = report(entries, sizes, timings, series)
    print(f"\nmeasured in {time.perf_counter() - started:.0f} s")
    if not args.quick:
        return 0
    if measured is None:
        sys.stdout.flush()
        print("bench: REGRESSION GUARD FAILED: wixcheck check or the floor failed on the package", file=sys.stderr)
        return GUARD_FAILED
    ratio, memory = measured
    failures = []
    if ratio > MAX_RATIO:
        failures.append(f"check took {ratio:.2f}x the floor's time (limit {MAX_RATIO}x, WIXCHECK_BENCH_MAX_RATIO)")
    if memory > MAX_MEMORY:
        failures.append(f"check peaked at {memory:.2f}x the input size (limit {MAX_MEMORY}x, WIXCHECK_BENCH_MAX_MEMORY)")
    sys.stdout.flush()
    for failure in failures:
        print(f"bench: REGRESSION GUARD FAILED: {failure}", file=sys.stderr)
    if failures:
        print("bench: rerun with `bash bench/run.sh --quick`; the limits are MAX_RATIO and MAX_MEMORY "
              "in bench/measure.py", file=sys.stderr)
    if not failures:
        print(f"bench: regression guard passed (check {ratio:.2f}x the floor, limit {MAX_RATIO}x; "
              f"peak {memory:.2f}x the input, limit {MAX_MEMORY}x)")
    return GUARD_FAILED if failures else 0


if __name__ == "__main__":
    sys.exit(main())
