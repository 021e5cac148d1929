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


FAILED: list[str] = []


def run(cmd: list[str], env: dict, cwd: Path, must: bool = True) -> float:
    t = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if out.returncode != 0:
        if must:
            raise SystemExit(f"failed: {' '.join(cmd)}\n{out.stderr[-2000:]}")
        FAILED.append(" ".join(cmd[-2:]))
    return wall


STUDY_KIND = ["the demo study (impact demo)"]


def make_study(folder: Path, env: dict) -> Path:
    root = folder / "studie"
    try:
        run([str(BIN / "impact"), "demo", str(root)], env, folder)
        run([str(BIN / "impact"), "--study", str(root), "process"], env, folder)
    except SystemExit:  # no demo yet: the small processed study of the notebook tests
        sys.path.insert(0, str(REPO / "tests"))
        from test_notebooks import _write_small_study

        shutil.rmtree(root, ignore_errors=True)
        _write_small_study(root)
        STUDY_KIND[0] = "the small study of tests/test_notebooks.py (impact demo not available)"
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
        # A snapshot of the package: impact's code is part of the cache key, and a
        # file edited during the run (in a shared work tree) would make "warm" cold.
        shutil.copytree(REPO / "impact", tmp / "code" / "impact",
                        ignore=shutil.ignore_patterns("__pycache__"))
        env["PYTHONPATH"] = str(tmp / "code")
        root = args.study.resolve() if args.study else make_study(tmp, env)
        env["IMPACT_STUDY"] = str(root)
        from impact.report.build import find_notebooks
        from impact.study import Study

        notebooks = find_notebooks(Study.load(root))  # the same notebooks impact build runs
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
                     "--output-dir", str(out), str(nb)], env, nb.parent, must=False)
            naive.append(time.perf_counter() - t)
            for p in (root / "reports").glob("*.html"):
                p.unlink()
            (root / "reports" / ".build-cache.json").unlink(missing_ok=True)
            cold.append(run(build, env, root, must=False))
            warm.append(run(build, env, root, must=False))
    med = {name: statistics.median(v) for name, v in (("naive", naive), ("cold", cold), ("warm", warm))}
    rows = [
        ("naive: `jupyter nbconvert --execute --to html`, one by one", naive, ""),
        ("`impact build`, cold (no cache)", cold, f"{med['cold'] / med['naive']:.2f} x naive (goal <= 0.33)"),
        ("`impact build`, warm (nothing changed)", warm, f"goal <= 1 s: {'met' if med['warm'] <= 1 else 'NOT met'}"),
    ]
    lines = [f"Build benchmark: {len(notebooks)} notebooks on {STUDY_KIND[0] if not args.study else args.study}, "
             f"{args.runs} run(s), "
             f"{os.cpu_count()} cores, 2 workers.", "",
             "| what | median s | min-max s | note |", "|---|---|---|---|"]
    for name, values, note in rows:
        lines.append(f"| {name} | {statistics.median(values):.2f} | {min(values):.2f}-{max(values):.2f} | {note} |")
    if FAILED:
        lines += ["", f"Failed runs (timed all the same): {', '.join(sorted(set(FAILED)))}"]
    text = "\n".join(lines) + "\n"
    (REPO / "benchmarks" / "out").mkdir(parents=True, exist_ok=True)
    (REPO / "benchmarks" / "out" / "bench_build.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
