"""Benchmark harness: time and peak memory of the main steps, side by side in one run.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/run.py [--runs 5]``).
Each step runs in its own process, ``--runs`` times (at least 5 for the
record); we report the median and min-max wall time and the peak resident
memory of the process. Results go to ``BENCHMARKS.md`` (between markers, so
other sections stay) and to ``benchmarks/out/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
IMPACT = str(BIN / "impact")

MEASURE = r"""
import resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.perf_counter() - t
print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)
"""


def measure(cmd: list[str], env=None) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB and exit code of ``cmd`` in a fresh process."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, env=env)
    wall, rss_kib, rc = out.stdout.split()
    return float(wall), int(rss_kib) / 1024, int(rc)


def summarise(name: str, samples: list[tuple[float, float, int]]) -> dict:
    walls = [s[0] for s in samples]
    return {"step": name, "runs": len(samples), "median_s": statistics.median(walls),
            "min_s": min(walls), "max_s": max(walls),
            "peak_mib": max(s[1] for s in samples), "failed": sum(1 for s in samples if s[2] != 0)}


def foundation(runs: int) -> list[dict]:
    """demo + validate + process on the demo study."""
    results = {"impact --help": [], "demo": [], "validate": [], "process": []}
    for _ in range(runs):
        root = Path(tempfile.mkdtemp(prefix="impact-bench-")) / "studie"
        results["impact --help"].append(measure([IMPACT, "--help"]))
        results["demo"].append(measure([IMPACT, "demo", str(root)]))
        results["validate"].append(measure([IMPACT, "--study", str(root), "validate"]))
        results["process"].append(measure([IMPACT, "--study", str(root), "process"]))
        shutil.rmtree(root.parent, ignore_errors=True)
    return [summarise(k, v) for k, v in results.items()]


def table(rows: list[dict]) -> str:
    out = ["| step | runs | median (s) | min-max (s) | peak memory (MiB) | failed |", "|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['step']} | {r['runs']} | {r['median_s']:.3f} | {r['min_s']:.3f}-{r['max_s']:.3f} "
                   f"| {r['peak_mib']:.0f} | {r['failed']} |")
    return "\n".join(out)


def machine() -> str:
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{dt.date.today().isoformat()}")


def write_section(name: str, body: str) -> None:
    path = REPO / "BENCHMARKS.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n\nWritten by `benchmarks/run.py` (`make bench`).\n"
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{body}\n{end}"
    if start in text:
        text = text[:text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="foundation")
    args = ap.parse_args()
    (REPO / "benchmarks" / "out").mkdir(parents=True, exist_ok=True)
    if "foundation" in args.only:
        rows = foundation(args.runs)
        (REPO / "benchmarks" / "out" / "foundation.json").write_text(json.dumps(rows, indent=1))
        body = (f"## Demo study: demo, validate, process\n\nMachine: {machine()}. "
                f"Each step in its own process, {args.runs} runs, median and min-max wall time; "
                f"peak resident memory of the step's process.\n\n{table(rows)}")
        write_section("foundation", body)
        print(body)


if __name__ == "__main__":
    main()
