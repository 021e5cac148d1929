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


def help_speed(runs: int) -> list[dict]:
    """``impact --help``: start-up time (median of at least 20 runs)."""
    return [summarise("impact --help", [measure([IMPACT, "--help"]) for _ in range(max(runs, 20))])]


def study_size(root: Path) -> dict:
    """What the study at ``root`` holds: characters of transcripts, codings, answers, attendance rows."""
    import polars as pl

    raw = root / "data" / "raw"
    chars = sum(len(p.read_text(encoding="utf-8")) for p in (raw / "transcripts").glob("*.md"))

    def rows(path: Path) -> int:
        return pl.read_csv(path, comment_prefix="#", infer_schema=False).height if path.exists() else 0

    codings = sum(rows(p) for p in (raw / "codings").glob("*.csv"))
    answers = 0
    for p in (raw / "responses").rglob("*.csv"):
        frame = pl.read_csv(p, comment_prefix="#", infer_schema=False)
        items = [c for c in frame.columns if c not in ("person_id", "respondent", "wave", "date", "version")]
        answers += int(sum(frame[c].is_not_null().sum() for c in items))
    return {"transcripts": len(list((raw / "transcripts").glob("*.md"))), "characters": chars,
            "codings": codings, "answers": answers, "attendance": rows(raw / "attendance.csv")}


def scale(factor: float, runs: int, keep: Path | None = None) -> tuple[list[dict], dict]:
    """The large synthetic study at ``factor``: demo, validate, process (cold and warm), build, agreement.

    The full build is what a new study costs from raw data to report: ``impact process`` with no
    redaction cache (deduce runs on every text), then ``impact build --force``; the two are timed
    one after the other in each run and added up.
    """
    root = (keep or Path(tempfile.mkdtemp(prefix="impact-scale-"))) / f"scale-{factor:g}"
    shutil.rmtree(root, ignore_errors=True)
    study = [IMPACT, "--study", str(root)]
    name = f"{factor:g}x"
    rows = [summarise(f"{name} demo --scale", [measure([IMPACT, "demo", str(root), "--scale", str(factor)])])]
    size = study_size(root)
    rows.append(summarise(f"{name} validate", [measure(study + ["validate"]) for _ in range(runs)]))
    cold, build, full = [], [], []
    for _ in range(runs):
        shutil.rmtree(root / "data" / "private" / "redaction-cache", ignore_errors=True)
        cold.append(measure(study + ["process"]))
        build.append(measure(study + ["build", "--force"]))
        full.append((cold[-1][0] + build[-1][0], max(cold[-1][1], build[-1][1]), cold[-1][2] or build[-1][2]))
    rows.append(summarise(f"{name} process (cold: no redaction cache)", cold))
    rows.append(summarise(f"{name} build --force", build))
    rows.append(summarise(f"{name} full build (cold process + build)", full))
    rows.append(summarise(f"{name} process (warm: nothing changed)", [measure(study + ["process"])
                                                                       for _ in range(runs)]))
    rows.append(summarise(f"{name} agreement", [measure(study + ["agreement", "--limit", "0"])
                                                for _ in range(runs)]))
    if keep is None:
        shutil.rmtree(root.parent, ignore_errors=True)
    return rows, size


def growth(rows: list[dict], sizes: dict[float, dict]) -> str:
    """Median time per step at each scale, and the ratio to 1x (linear cost: ratio = N)."""
    factors = sorted(sizes)
    steps: dict[str, dict[float, float]] = {}
    for r in rows:
        factor, step = r["step"].split(" ", 1)
        steps.setdefault(step, {})[float(factor[:-1])] = r["median_s"]
    head = "| step | " + " | ".join(f"{f:g}x (s)" for f in factors) + " | " + \
        " | ".join(f"{f:g}x / 1x" for f in factors if f != 1) + \
        " | fit: fixed + per 1x (s) | largest gap to the line |"
    out = [head, "|" + "---|" * (3 + len(factors) + sum(1 for f in factors if f != 1))]
    for step, by in steps.items():
        base = by.get(1.0)
        ratios = [(f"{by[f] / base:.2f}" if base and f in by else "-") for f in factors if f != 1]
        fit, gap = "-", "-"
        xs = [f for f in factors if f in by]
        if len(xs) >= 3:
            # cost linear in N means time = fixed + slope * N: fit that line, show how far points stray
            n, mx, my = len(xs), sum(xs) / len(xs), sum(by[f] for f in xs) / len(xs)
            slope = sum((f - mx) * (by[f] - my) for f in xs) / sum((f - mx) ** 2 for f in xs)
            fixed = my - slope * mx
            fit = f"{fixed:.1f} + {slope:.1f} N"
            gap = f"{max(abs(by[f] - (fixed + slope * f)) / by[f] for f in xs):.0%}"
        out.append(f"| {step} | " + " | ".join(f"{by[f]:.2f}" if f in by else "-" for f in factors) + " | "
                   + " | ".join(ratios) + f" | {fit} | {gap} |")
    out += ["", "| data | " + " | ".join(f"{f:g}x" for f in factors) + " |", "|" + "---|" * (1 + len(factors))]
    for key in ("transcripts", "characters", "codings", "answers", "attendance"):
        out.append(f"| {key} | " + " | ".join(f"{sizes[f][key]:,}" for f in factors) + " |")
    return "\n".join(out)


def agreement_vs_krippendorff(runs: int) -> dict:
    out = subprocess.run([sys.executable, str(REPO / "benchmarks" / "bench_agreement.py"), str(runs)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


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
    ap.add_argument("--only", default="foundation,help,agreement,scale",
                    help="sections, comma-separated: foundation, help, agreement, scale")
    ap.add_argument("--scales", default="1,2,4", help="scale factors for the scale section")
    args = ap.parse_args()
    (REPO / "benchmarks" / "out").mkdir(parents=True, exist_ok=True)
    if "help" in args.only:
        rows = help_speed(args.runs)
        body = (f"## Start-up: `impact --help`\n\nMachine: {machine()}. Goal: median <= 0.3 s.\n\n{table(rows)}")
        write_section("help", body)
        print(body)
    if "agreement" in args.only:
        r = agreement_vs_krippendorff(args.runs)
        (REPO / "benchmarks" / "out" / "agreement.json").write_text(json.dumps(r, indent=1))
        body = (f"## Agreement over {r['units']:,} units vs `krippendorff.alpha`\n\nMachine: {machine()}. "
                f"A fresh process per case, alternating, {r['runs']} runs (`benchmarks/bench_agreement.py`). "
                "`krippendorff.alpha` gets the finished coders x units matrix; `agreement()` starts from "
                "the codings and also gives kappa and percent agreement. Goal: within 1.2x.\n\n"
                "| call | median (s) | min-max (s) | ratio to krippendorff |\n|---|---|---|---|\n"
                f"| krippendorff.alpha(matrix) | {r['krippendorff_median_s']:.3f} | "
                f"{r['krippendorff_min_max'][0]:.3f}-{r['krippendorff_min_max'][1]:.3f} | 1.00 |\n"
                f"| agreement(corpus), repeat | {r['agreement_repeat_median_s']:.3f} | "
                f"{r['agreement_repeat_min_max'][0]:.3f}-{r['agreement_repeat_min_max'][1]:.3f} | "
                f"{r['ratio_repeat']:.2f} |\n"
                f"| agreement(corpus), first call, processed tables (paragraph columns) | "
                f"{r['agreement_first_call_precomputed_s']:.3f} | "
                f"{r['agreement_first_call_precomputed_min_max'][0]:.3f}-"
                f"{r['agreement_first_call_precomputed_min_max'][1]:.3f} | {r['ratio_first_precomputed']:.2f} |\n"
                f"| agreement(corpus), first call, texts cut into units | {r['agreement_first_call_s']:.3f} | "
                f"{r['agreement_first_call_min_max'][0]:.3f}-{r['agreement_first_call_min_max'][1]:.3f} | "
                f"{r['ratio_first']:.2f} |\n\n"
                f"Same alpha: {r['alpha_krippendorff']:.6f} (krippendorff) and {r['alpha_agreement']:.6f} (agreement).")
        write_section("agreement", body)
        print(body)
    if "scale" in args.only:
        rows, sizes = [], {}
        for factor in [float(x) for x in args.scales.split(",") if x]:
            more, sizes[factor] = scale(factor, args.runs)
            rows += more
            (REPO / "benchmarks" / "out" / "scale.json").write_text(json.dumps(
                {"rows": rows, "sizes": {f"{k:g}": v for k, v in sizes.items()}}, indent=1))
            body = (f"## Large synthetic study (`impact demo DIR --scale N`)\n\nMachine: {machine()}. "
                    f"Each step in its own process; {args.runs} runs (demo: 1); median and "
                    "min-max wall time, peak resident memory (largest process of the step, "
                    "children included as the OS reports them). Full build: cold `process` and "
                    "`build --force` one after the other, added up per run.\n\n" + table(rows)
                    + "\n\n### How cost grows with N\n\n" + growth(rows, sizes))
            write_section("scale", body)
            print(body, flush=True)
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
