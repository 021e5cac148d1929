"""Benchmark: ``impact build`` against naive sequential ``jupyter nbconvert``.

Same notebooks (the repository's ``notebooks/``), same demo study, one run,
side by side:

* naive: ``jupyter nbconvert --execute --to html`` for each notebook, one
  after the other (a new process and kernel per notebook);
* ``impact build`` cold: empty ``reports/`` (no cache);
* ``impact build`` warm: again, nothing changed (everything from the cache).

Goals (issue 6): cold <= 1/3 of naive, warm <= 1 s. Writes a markdown table
to stdout and to ``benchmarks/out/bench_build.md``. The infographic is left
out of the timed builds (``--no-infographic``): naive nbconvert makes none.

Run: ``.venv/bin/python benchmarks/bench_build.py [--runs 3] [--study DIR]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(cmd: list[str], env: dict, cwd: Path) -> float:
    t = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if out.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out.stderr[-2000:]}")
    return wall


def make_study(folder: Path, env: dict) -> Path:
    root = folder / "studie"
    run([str(BIN / "impact"), "demo", str(root)], env, folder)
    run([str(BIN / "impact"), "--study", str(root), "process"], env, folder)
    shutil.rmtree(root / "notebooks", ignore_errors=True)
    shutil.copytree(REPO / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return root


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--study", type=Path, help="an existing processed study (default: a new demo)")
    args = parser.parse_args()
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        tmp = Path(tmp)
        root = args.study.resolve() if args.study else make_study(tmp, env)
        env["IMPACT_STUDY"] = str(root)
        notebooks = sorted(p for p in (root / "notebooks").glob("*.ipynb") if not p.name.startswith("_"))
        # `impact build` once the lead registered it; the report CLI module directly until then
        build = [sys.executable, "-c", "from impact.report.cli import app; app()",
                 "build", "--study", str(root), "--no-infographic"]
        naive, cold, warm = [], [], []
        for _ in range(args.runs):
            out = tmp / "naive"
            shutil.rmtree(out, ignore_errors=True)
            t = time.perf_counter()
            for nb in notebooks:
                run([str(BIN / "jupyter"), "nbconvert", "--execute", "--to", "html",
                     "--output-dir", str(out), str(nb)], env, nb.parent)
            naive.append(time.perf_counter() - t)
            for p in (root / "reports").glob("*.html"):
                p.unlink()
            (root / "reports" / ".build-cache.json").unlink(missing_ok=True)
            cold.append(run(build, env, root))
            warm.append(run(build, env, root))
    med = {name: statistics.median(v) for name, v in (("naive", naive), ("cold", cold), ("warm", warm))}
    rows = [
        ("naive: `jupyter nbconvert --execute --to html`, one by one", naive, ""),
        ("`impact build`, cold (no cache)", cold, f"{med['cold'] / med['naive']:.2f} x naive (goal <= 0.33)"),
        ("`impact build`, warm (nothing changed)", warm, f"goal <= 1 s: {'met' if med['warm'] <= 1 else 'NOT met'}"),
    ]
    lines = [f"Build benchmark: {len(notebooks)} notebooks of the demo study, {args.runs} run(s), "
             f"{os.cpu_count()} cores, 2 workers.", "",
             "| what | median s | min-max s | note |", "|---|---|---|---|"]
    for name, values, note in rows:
        lines.append(f"| {name} | {statistics.median(values):.2f} | {min(values):.2f}-{max(values):.2f} | {note} |")
    text = "\n".join(lines) + "\n"
    (REPO / "benchmarks" / "out").mkdir(parents=True, exist_ok=True)
    (REPO / "benchmarks" / "out" / "bench_build.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
