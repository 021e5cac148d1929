"""Benchmark harness: time and peak memory of the main steps, side by side in one run.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/run.py [--runs 5]``).
Each step runs in its own process, ``--runs`` times; we report the median
and min-max wall time and the peak resident memory of the process. Every
section says on what machine and under what load (the load average before
and after: the machine may be shared) it ran. Results go to
``BENCHMARKS.md`` (between markers, so other sections stay), to
``benchmarks/out/``, and the short summary to the README's "Speed in short"
block (between ``<!-- speed:start -->`` and ``<!-- speed:end -->``): no
figure there is copied by hand.

Byte code is written as on a user's machine (``PYTHONDONTWRITEBYTECODE`` is
unset for the measured processes).
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
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
IMPACT = str(BIN / "impact")
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

MEASURE = r"""
import resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.perf_counter() - t
print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)
"""


def measure(cmd: list[str], env=None) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB and exit code of ``cmd`` in a fresh process."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, env=env or ENV)
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


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load() -> str:
    """The load average (1, 5, 15 minutes): how busy the machine was (2 cores: 2.0 is full)."""
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def machine(started: str | None = None) -> str:
    """Machine, date and load: before the section (``started``) and now."""
    when = f"load average {started} before, {load()} after" if started else f"load average {load()}"
    return (f"{cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{dt.date.today().isoformat()}; {when} (1/5/15 min)")


def drop_section(name: str) -> None:
    """Remove a section an older version of this script (or a person) wrote."""
    path = REPO / "BENCHMARKS.md"
    text = path.read_text() if path.exists() else ""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start in text:
        path.write_text(text[:text.index(start)].rstrip() + "\n" + text[text.index(end) + len(end):].lstrip("\n"))


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


def record(section: str, body: str, data=None) -> None:
    """One section's results: raw figures to ``benchmarks/out/<section>.json``, the table to BENCHMARKS.md."""
    if data is not None:
        (REPO / "benchmarks" / "out" / f"{section}.json").write_text(json.dumps(data, indent=1))
    write_section(section, body)
    print(body, flush=True)


def live(runs: int, scale_factor: float) -> dict:
    out = subprocess.run([sys.executable, str(REPO / "benchmarks" / "bench_live.py"), "--runs", str(runs),
                          "--scale", str(scale_factor)], capture_output=True, text=True, env=ENV)
    lines = [ln for ln in out.stdout.strip().splitlines() if ln.startswith("{")]
    if out.returncode != 0:
        print(f"bench_live.py failed (the demo part is kept when it finished):\n{out.stderr[-4000:]}",
              file=sys.stderr)
        if not lines:
            raise SystemExit(1)
    return json.loads(lines[-1])


def s(value: float) -> str:
    return f"{value:.1f} s" if value >= 1 else f"{value:.2f} s"


def live_table(r: dict) -> str:
    cases = {"a": "(a) one coding changed: process + build", "b": "(b) one answer added: process + build",
             "c": "(c) nothing changed: process + build", "d": "(d) cold build (no reports, no cache)"}
    ways = ["naive", "jupyter-cache", "impact", "impact + warm helper", "impact --watch"]
    out = ["| case | " + " | ".join(ways) + " | impact / naive |", "|---|" + "---|" * (len(ways) + 1)]
    times = r["demo"]["times"]
    for case, label in cases.items():
        row = times.get(case, {})
        cells = [(f"{row[w]['median']:.2f} ({row[w]['min']:.2f}-{row[w]['max']:.2f})" if w in row else "-")
                 for w in ways]
        ratio = f"{row['impact']['median'] / row['naive']['median']:.2f}x" if "naive" in row else "-"
        out.append(f"| {label} | " + " | ".join(cells) + f" | {ratio} |")
    reran = r["demo"]["reran"]
    out += ["", "Reports the watching build made again (the others were unchanged): "
            + "; ".join(f"{k}: {', '.join(v) or 'none'}" for k, v in reran.items()) + "."]
    if "scale" in r:
        sc = r["scale"]
        out += ["", f"Scale {sc['factor']:g}x (`impact demo DIR --scale {sc['factor']:g}`; first `process` "
                f"{sc['first_process_s']:.1f} s, first `build` {sc['first_build_s']:.1f} s):", "",
                "| case | median (s) | min-max (s) |", "|---|---|---|"]
        names = {"a impact": "(a) one coding changed: `impact process` + `impact build`",
                 "a impact + warm helper": "(a) one coding changed: the same, with the warm helper",
                 "a impact --watch": "(a) one coding changed: `impact build --watch`",
                 "c impact": "(c) nothing changed: `impact process` + `impact build`",
                 "c impact + warm helper": "(c) nothing changed: the same, with the warm helper"}
        for key, label in names.items():
            if key not in sc["times"]:
                continue
            t = sc["times"][key]
            out.append(f"| {label} | {t['median']:.2f} | {t['min']:.2f}-{t['max']:.2f} |")
        each = sc.get("first_build_notebooks_s") or {}
        if each:
            out += ["", "Each notebook in the first build at this scale (seconds, as `impact build` prints them; "
                    "two at a time): " + ", ".join(f"{k} {v:.1f}" for k, v in sorted(each.items())) + "."]
    return "\n".join(out)


def notebook_02_at_scale(lv: dict) -> float | None:
    """Seconds of notebook 02 (reach) in the first build of the scale study; None when it was not built."""
    each = lv.get("scale", {}).get("first_build_notebooks_s") or {}
    return next((v for k, v in each.items() if "02_bereik" in k), None)


def goals(results: dict) -> str:
    """Issue 16's goals against this run's medians."""
    rows = []
    lv, hp = results.get("live"), results.get("help")
    if lv:
        t = lv["demo"]["times"]
        for label, value, limit in (
                ("one coding changed, `impact build --watch` (process + build)", t["a"]["impact --watch"]["median"], 3),
                ("one coding changed, `impact process` + `impact build` with the warm helper",
                 t["a"].get("impact + warm helper", {}).get("median"), 3),
                ("one coding changed, `impact process` + `impact build`, new processes, no helper",
                 t["a"]["impact"]["median"], 3),
                ("nothing changed, `impact build`", t["c"]["impact build alone"]["median"], 0.5),
                ("cold build / naive nbconvert", t["d"]["impact"]["median"] / t["d"]["naive"]["median"], 0.2)):
            if value is not None:
                unit = "x" if label.startswith("cold") else " s"
                rows.append(f"| {label} | <= {limit}{unit} | {value:.2f}{unit} | {'yes' if value <= limit else 'no'} |")
        if "scale" in lv:
            v = lv["scale"]["times"]
            for key, label in (("a impact --watch", "scale 1x, one coding changed, `--watch`"),
                               ("a impact + warm helper", "scale 1x, one coding changed, `process` + `build` "
                                                          "with the warm helper"),
                               ("a impact", "scale 1x, one coding changed, `process` + `build`, no helper")):
                if key not in v:
                    continue
                rows.append(f"| {label} | <= 10 s | {v[key]['median']:.2f} s | "
                            f"{'yes' if v[key]['median'] <= 10 else 'no'} |")
            reach = notebook_02_at_scale(lv)
            rows.append("| scale 1x, notebook 02 (reach) finishes in the first build | <= 600 s (cell limit) | "
                        + (f"{reach:.1f} s (one run) | {'yes' if reach <= 600 else 'no'} |" if reach is not None
                           else "not built | no |"))
    if hp:
        rows.append(f"| `impact --help` | <= 0.2 s | {hp[0]['median_s']:.3f} s | "
                    f"{'yes' if hp[0]['median_s'] <= 0.2 else 'no'} |")
    return "| goal | limit | median | met? |\n|---|---|---|---|\n" + "\n".join(rows)


def readme_block(results: dict, where: str) -> str:
    """The README's "Speed in short", from this run's figures only."""
    parts = [f"Measured by `make bench` ({where}; details, medians and ranges in [BENCHMARKS.md](BENCHMARKS.md))."]
    f = {r["step"]: r for r in results.get("foundation", [])}
    if f:
        parts.append(f"On the demo study `impact demo` {s(f['demo']['median_s'])}, `validate` "
                     f"{s(f['validate']['median_s'])}, `process` {s(f['process']['median_s'])} "
                     f"(peak {f['process']['peak_mib']:.0f} MiB).")
    lv = results.get("live")
    if lv:
        t = lv["demo"]["times"]
        parts.append(
            f"`impact build` cold {s(t['d']['impact']['median'])} against {s(t['d']['naive']['median'])} for naive "
            f"`jupyter nbconvert --execute`, one notebook after the other "
            f"({t['d']['impact']['median'] / t['d']['naive']['median']:.2f}x). After one changed coding, "
            f"`impact process` + `impact build` take {s(t['a']['impact + warm helper']['median'])} with the "
            f"study's warm helper (what `impact build` leaves at a terminal), {s(t['a']['impact']['median'])} "
            f"without it, and `impact build --watch` "
            f"{s(t['a']['impact --watch']['median'])} (naive: {s(t['a']['naive']['median'])}); with nothing "
            f"changed {s(t['c']['impact']['median'])} (`impact build` alone "
            f"{s(t['c']['impact build alone']['median'])}).")
    if results.get("help"):
        parts.append(f"`impact --help` {s(results['help'][0]['median_s'])}.")
    sc = {r["step"]: r for r in results.get("scale", [])}
    if "1x full build (cold process + build)" in sc:
        parts.append(
            f"A large synthetic study (`impact demo DIR --scale 1`: 1,000 interviews, 500,000 codings, "
            f"1,000,000 attendance rows) is checked in {s(sc['1x validate']['median_s'])} and goes from raw "
            f"data to report in {s(sc['1x full build (cold process + build)']['median_s'])} (peak "
            f"{sc['1x full build (cold process + build)']['peak_mib'] / 1024:.1f} GiB)"
            + (f"; one changed coding then takes {s(lv['scale']['times']['a impact']['median'])} "
               f"(`--watch`: {s(lv['scale']['times']['a impact --watch']['median'])})" if lv and "scale" in lv
               else "") + ".")
    return "\n".join(textwrap.fill(p, 100) for p in parts)


def write_readme(block: str) -> None:
    path = REPO / "README.md"
    text = path.read_text()
    start, end = "<!-- speed:start -->", "<!-- speed:end -->"
    if start not in text:
        raise SystemExit("README.md has no <!-- speed:start --> marker")
    path.write_text(text[:text.index(start) + len(start)] + "\n" + block + "\n" + text[text.index(end):])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="foundation,help,agreement,scale,live",
                    help="sections, comma-separated: foundation, help, agreement, scale, live")
    ap.add_argument("--scales", default="1", help="scale factors for the scale section (growth: 1,2,4)")
    args = ap.parse_args()
    (REPO / "benchmarks" / "out").mkdir(parents=True, exist_ok=True)
    results: dict = {}
    first_load = load()

    def summarise_run() -> None:
        """Goals and the README block from the sections measured so far (a stopped run stays consistent)."""
        where = (f"{cpu_model()}, {os.cpu_count()} cores, {dt.date.today().isoformat()}, sections: "
                 f"{', '.join(results)}; load average {first_load} at the start and {load()} at the end")
        write_section("goals", "## Goals of issue 16 against this run\n\n" + f"Machine: {where}.\n\n"
                      + goals(results))
        write_readme(readme_block(results, where))

    for old in ("summary", "build"):  # written by hand or by bench_build.py: replaced by "goals" and "live"
        drop_section(old)
    if "help" in args.only:
        started = load()
        rows = results["help"] = help_speed(args.runs)
        body = f"## Start-up: `impact --help`\n\nMachine: {machine(started)}. Goal: median <= 0.2 s.\n\n{table(rows)}"
        record("help", body, rows)
        summarise_run()
    if "foundation" in args.only:
        started = load()
        rows = results["foundation"] = foundation(args.runs)
        body = (f"## Demo study: demo, validate, process\n\nMachine: {machine(started)}. "
                f"Each step in its own process, {args.runs} runs, median and min-max wall time; "
                f"peak resident memory of the step's process.\n\n{table(rows)}")
        record("foundation", body, rows)
        summarise_run()
    if "live" in args.only:
        started = load()
        r = results["live"] = live(min(args.runs, 3), 1.0 if "1" in args.scales.split(",") else 0)
        body = (f"## Live rebuilds (issue 16): what a change costs\n\nMachine: {machine(started)}. "
                f"`benchmarks/bench_live.py`, {r['runs']} runs, median (min-max) in seconds. Each way of "
                "building gets a change of its own before it runs, so each sees a change it has not built. "
                "naive: `impact process` + `jupyter nbconvert --execute --to html` per notebook, one after the "
                "other (it runs every notebook whatever changed: the notebooks are timed once per run, in (d), "
                "and added to each case's `impact process`); jupyter-cache: `impact process` + its executor "
                "and HTML export (its cache cleared after a data change, as it keys notebooks on their code "
                "only: then it runs every notebook, timed in (d)); impact: `impact process` + "
                "`impact build`, new processes; impact + warm helper: the same commands with the study's warm "
                "helper running (`impact.report.warm`, what `impact build` leaves at a terminal; measured after "
                "the other ways); impact --watch: the same inside the watching process (warm "
                "kernels), from the change to the published pages. Quarto's freeze is not compared: "
                "`pip install quarto-cli` downloads Quarto itself while it builds, which fails offline."
                f"\n\n{live_table(r)}")
        record("live", body, r)
        summarise_run()
    if "agreement" in args.only:
        started = load()
        r = results["agreement"] = agreement_vs_krippendorff(args.runs)
        body = (f"## Agreement over {r['units']:,} units vs `krippendorff.alpha`\n\nMachine: {machine(started)}. "
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
        record("agreement", body, r)
        summarise_run()
    if "scale" in args.only:
        started = load()
        rows, sizes = [], {}
        for factor in [float(x) for x in args.scales.split(",") if x]:
            more, sizes[factor] = scale(factor, args.runs)
            rows += more
            (REPO / "benchmarks" / "out" / "scale.json").write_text(json.dumps(
                {"rows": rows, "sizes": {f"{k:g}": v for k, v in sizes.items()}}, indent=1))
        results["scale"] = rows
        body = (f"## Large synthetic study (`impact demo DIR --scale N`)\n\nMachine: {machine(started)}. "
                f"Each step in its own process; {args.runs} runs (demo: 1); median and "
                "min-max wall time, peak resident memory (largest process of the step, "
                "children included as the OS reports them). Full build: cold `process` and "
                "`build --force` one after the other, added up per run.\n\n" + table(rows)
                + "\n\n### How cost grows with N\n\n" + growth(rows, sizes))
        record("scale", body)
        summarise_run()
    if "scale" not in args.only:
        drop_section("scale")  # an older run's figures: not mixed with this run's
    summarise_run()
    print((REPO / "README.md").read_text().split("<!-- speed:start -->")[1].split("<!-- speed:end -->")[0])


if __name__ == "__main__":
    main()
