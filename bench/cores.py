#!/usr/bin/env python3
"""How much a second core gives on this machine: plain computation against wixcheck.

Each round runs, back to back, `wixcheck check --jobs 1` and `--jobs 2` on the bench project,
then two `sha256sum` processes over the 5 MiB package one after the other and both at once.
It prints per round and as medians the speedup of each and the CPU time two cores took over
one's for the same work. Plain computation scaling to about 2x while wixcheck does not says
the limit is in wixcheck's work (memory, page faults); both falling together says the
machine's cores slowed each other.

    bash bench/run.sh                  # once: builds the binaries, generates the inputs
    python3 bench/cores.py [ROUNDS]    # default 25 rounds, about a minute

Python 3.11, standard library only.
"""
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WIXCHECK = os.path.join(ROOT, "target", "release", "wixcheck")
PROJECT = os.path.join(ROOT, "target", "bench-inputs", "project-2000")
PACKAGE = os.path.join(ROOT, "target", "bench-inputs", "package-5mib.wxs")


def together(*commands):
    """Runs the commands at once; returns (wall ms, CPU ms of all of them)."""
    started = time.perf_counter()
    processes = [subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for argv in commands]
    cpu = 0.0
    for process in processes:
        _, _, usage = os.wait4(process.pid, 0)
        cpu += usage.ru_utime + usage.ru_stime
    return (time.perf_counter() - started) * 1000, cpu * 1000


def in_turn(*commands):
    """Runs the commands one after the other; returns (wall ms, CPU ms)."""
    runs = [together(argv) for argv in commands]
    return sum(wall for wall, _ in runs), sum(cpu for _, cpu in runs)


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    for path in (WIXCHECK, PROJECT, PACKAGE):
        if not os.path.exists(path):
            sys.exit(f"cores.py: {path} is missing; run `bash bench/run.sh` first")
    def check(jobs):
        return [WIXCHECK, "check", "--jobs", str(jobs), "--format", "json", PROJECT]

    digest = ["sha256sum"] + [PACKAGE] * 4
    rows = []
    print("round  wixcheck --jobs 2: speedup  cpu ratio   2 x sha256sum: speedup  cpu ratio")
    for number in range(1, rounds + 1):
        one, two = in_turn(check(1)), in_turn(check(2))
        apart, both = in_turn(digest, digest), together(digest, digest)
        row = (one[0] / two[0], two[1] / one[1], apart[0] / both[0], both[1] / apart[1])
        rows.append(row)
        print(f"{number:5}  {row[0]:26.2f}  {row[1]:9.2f}  {row[2]:22.2f}  {row[3]:9.2f}")
    medians = [statistics.median(column) for column in zip(*rows)]
    print(f"median {medians[0]:26.2f}  {medians[1]:9.2f}  {medians[2]:22.2f}  {medians[3]:9.2f}")


if __name__ == "__main__":
    main()
