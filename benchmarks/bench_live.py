"""Benchmark: live rebuilds, side by side in one run (issue 16).

Cases, on the demo study (``impact demo``) with its report notebooks (``find_notebooks``):

* (a) one coding changed, then process + build;
* (b) one answer added (an open answer filled in), then process + build;
* (c) nothing changed, then process + build;
* (d) cold build: processed data, but no reports and no build cache (no infographic: nbconvert makes none).

Ways to rebuild, each run in turn after a change of its own (so each sees a change it has not built):

* naive: ``impact process``, then ``jupyter nbconvert --execute --to html`` for each notebook, one after
  the other (a new process and kernel per notebook). It runs every notebook whatever changed, so the
  notebooks are timed once per run (case d) and added to the ``impact process`` of each case;
* jupyter-cache (what Jupyter Book uses): ``impact process``, then its local-serial executor and HTML
  export of the cached notebooks. It keys a notebook on its code only, so after a data change its cache
  must be cleared by hand (then it runs every notebook: timed once per run, in d); left as it is, it
  would show the old report. With nothing changed it is timed as it is (everything from its cache);
* impact: ``impact process`` and ``impact build``, each a new process, as a user types them;
* impact + warm helper: the same commands with the study's warm helper running (``impact.report.warm``, what
  ``impact build`` leaves at a terminal): measured after the other ways, in the same run;
* impact --watch: the same work inside the watching process (``impact.report.live.rebuild``: warm
  kernels), from the change to the published pages; the watcher's wait for more changes (0.3 s) and the
  file event come on top.

Scale: ``impact demo DIR --scale 1``, (a) and (c) with ``impact`` and ``--watch``, every report notebook
(notebook 02 too: its bridging is estimated above 1,000 people, so it finishes at 1x). The first build's
seconds per notebook (as ``impact build`` prints them) are kept, notebook 02's among them.

Quarto's freeze is not compared: ``pip install quarto-cli`` downloads the Quarto binary from the
internet while it builds the package, which fails offline (and freeze, like jupyter-cache, keys on the
source only).

Prints one JSON line at the end (for ``benchmarks/run.py``).
Run: ``.venv/bin/python benchmarks/bench_live.py [--runs 3] [--scale 1]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
IMPACT = str(BIN / "impact")

JCACHE = r"""
import sys
from pathlib import Path
from jupyter_cache import get_cache
from jupyter_cache.executors import load_executor
import nbformat
from nbconvert import HTMLExporter

cache_dir, out, clear, *notebooks = sys.argv[1:]
cache = get_cache(cache_dir)
if clear == "1":
    cache.clear_cache()
for nb in notebooks:
    cache.add_nb_to_project(nb)
result = load_executor("local-serial", cache=cache).run_and_cache(timeout=600)
if result.errored:
    sys.exit(f"failed: {result.errored}")
exporter = HTMLExporter()
for nb in notebooks:
    _, merged = cache.merge_match_into_file(nb)
    body, _ = exporter.from_notebook_node(merged)
    (Path(out) / (Path(nb).stem + ".html")).write_text(body, encoding="utf-8")
"""


def run(cmd: list[str], env: dict, cwd: Path, output: list | None = None) -> float:
    """Wall seconds of ``cmd``; its stdout and stderr appended to ``output`` when given."""
    started = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out.stdout[-1500:]}\n{out.stderr[-3000:]}")
    if output is not None:
        output.append(out.stdout + out.stderr)
    return time.perf_counter() - started


class Changes:
    """Changes that always give a state no way of building has seen before."""

    def __init__(self, root: Path):
        self.root = root
        self.coded = 0
        self.answered = 0

    def coding(self) -> str:
        """Give the next coding (walking through the coded interviews) another code."""
        raw = self.root / "data" / "raw" / "codings"
        files = sorted(raw.rglob("*.md")) or sorted(raw.rglob("*.csv"))
        path = files[self.coded % len(files)]
        text = path.read_text(encoding="utf-8")
        self.coded += 1
        if path.suffix == ".md":
            tags = list(re.finditer(r"\{#(\w+)\}", text))
            tag = tags[(self.coded // len(files)) % len(tags)]
            new = "motivatie" if tag.group(1) != "motivatie" else "verbinden"
            text = text[:tag.start()] + "{#" + new + "}" + text[tag.end():]
        else:  # codings as a table (the scale study): one row's code becomes another known code
            lines = text.splitlines(keepends=True)
            head = next(i for i, line in enumerate(lines) if not line.startswith("#"))
            columns = lines[head].rstrip("\n").split(",")
            at = columns.index("code")
            codes = sorted({line.split(",")[at] for line in lines[head + 1:head + 200]})
            row = head + 1 + self.coded
            cells = lines[row].rstrip("\n").split(",")
            cells[at] = codes[(codes.index(cells[at]) + 1) % len(codes)]
            lines[row] = ",".join(cells) + "\n"
            text = "".join(lines)
        path.write_text(text, encoding="utf-8")
        return str(path.relative_to(self.root))

    def answer(self) -> str:
        """Fill in one more empty open answer ("what changed for you") of the residents' questionnaire."""
        path = self.root / "data" / "raw" / "responses" / "bewoners" / "meting_1.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        head = next(i for i, line in enumerate(lines) if not line.startswith("#"))
        at = lines[head].rstrip("\n").split(",").index("verandering_tekst")
        for i in range(head + 1, len(lines)):
            cells = lines[i].rstrip("\n").split(",")
            if len(cells) > at and cells[at] == "":
                self.answered += 1
                cells[at] = f"Ik ken nu meer mensen in de straat ({self.answered})"
                lines[i] = ",".join(cells) + "\n"
                break
        else:
            raise SystemExit("no empty open answer left to fill in")
        path.write_text("".join(lines), encoding="utf-8")
        return str(path.relative_to(self.root))


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values)}


def bench_demo(tmp: Path, runs: int, env: dict) -> dict:
    from impact.report.build import WARM_IMPORTS, KernelPool, find_notebooks
    from impact.report.cache import BuildCache
    from impact.report.live import rebuild
    from impact.study import Study

    root = tmp / "demo"
    env = dict(env, IMPACT_STUDY=str(root))  # the notebooks find their study (nbconvert, jupyter-cache)
    run([IMPACT, "demo", str(root)], env, tmp)
    run([IMPACT, "--study", str(root), "process"], env, root)
    run([IMPACT, "--study", str(root), "build"], env, root)
    study = Study.load(root)
    notebooks = find_notebooks(study)  # the report notebooks impact build runs (not the coding widget)
    naive_out, jcache_out = tmp / "naive", tmp / "jcache-html"
    jcache_out.mkdir()
    changes = Changes(root)
    times: dict[str, dict[str, list[float]]] = {}
    reran: dict[str, list[str]] = {}

    def naive(process: bool = True) -> float:
        spent = run([IMPACT, "--study", str(root), "process"], env, root) if process else 0.0
        for nb in notebooks:
            spent += run([str(BIN / "jupyter"), "nbconvert", "--execute", "--to", "html",
                          "--output-dir", str(naive_out), str(nb)], env, nb.parent)
        return spent

    def jcache(clear: bool, process: bool = True) -> float:
        spent = run([IMPACT, "--study", str(root), "process"], env, root) if process else 0.0
        return spent + run([sys.executable, "-c", JCACHE, str(tmp / "jcache"), str(jcache_out),
                            "1" if clear else "0", *map(str, notebooks)], env, root)

    def impact(*build: str, process: bool = True) -> float:
        spent = run([IMPACT, "--study", str(root), "process"], env, root) if process else 0.0
        return spent + run([IMPACT, "build", "--study", str(root), *build], env, root)

    jcache(clear=True)  # fill jupyter-cache once, as a user of it would have
    pool = KernelPool(2, warm=[*WARM_IMPORTS, *BuildCache(root).warm])
    pool.start()
    try:
        rebuild(study, [], kernels=pool, build_options={}, first=True)

        def watch(change) -> float:
            changed = [change()] if change else []
            started = time.perf_counter()
            done = rebuild(study, changed, kernels=pool, build_options={}, first=not changed)
            if done.error or done.result.failed:
                raise SystemExit(f"watch failed: {done.error or done.result.failed}")
            reran[change.__name__ if change else "nothing"] = sorted(
                r.job.notebook.stem for r in done.result.results if r.status == "built")
            return time.perf_counter() - started

        for _ in range(runs):
            # naive and jupyter-cache (cleared) run every notebook whatever changed: timed once per run, in (d)
            every = {"naive": naive(process=False), "jupyter-cache": jcache(clear=True, process=False)}
            times.setdefault("d", {}).setdefault("naive", []).append(every["naive"])
            times["d"].setdefault("jupyter-cache", []).append(every["jupyter-cache"])
            for case, change in (("a", changes.coding), ("b", changes.answer), ("c", None)):
                row = times.setdefault(case, {})
                if change:
                    change()
                processed = run([IMPACT, "--study", str(root), "process"], env, root)
                row.setdefault("naive", []).append(processed + every["naive"])
                row.setdefault("jupyter-cache", []).append(
                    processed + (every["jupyter-cache"] if change else jcache(clear=False, process=False)))
                if change:
                    change()
                row.setdefault("impact", []).append(impact())
                if change is None:  # what the build alone costs when nothing changed
                    row.setdefault("impact build alone", []).append(impact(process=False))
                row.setdefault("impact --watch", []).append(watch(change))
            shutil.rmtree(root / "reports")
            shutil.rmtree(root / "data" / "cache")
            times["d"].setdefault("impact", []).append(impact("--no-infographic", process=False))
            impact(process=False)  # the infographic back, for the next run's cases
    finally:
        pool.close()
    helped = with_helper(root, runs, {"a": changes.coding, "b": changes.answer, "c": None}, impact)
    for case, values in helped.items():
        times[case]["impact + warm helper"] = values
    return {"times": {case: {way: summary(v) for way, v in row.items()} for case, row in times.items()},
            "reran": reran, "notebooks": [nb.stem for nb in notebooks]}


def with_helper(root: Path, runs: int, cases: dict, impact) -> dict[str, list[float]]:
    """``impact process`` + ``impact build`` as typed, with the study's warm helper running (``impact.report.warm``:
    what ``impact build`` leaves at a terminal); measured after the other ways, in the same run."""
    from impact.report import warm

    if not warm.start(root, 30):
        raise SystemExit("the warm helper did not start")
    times: dict[str, list[float]] = {}
    try:
        deadline = time.monotonic() + 300
        while warm.ask(root, {"do": "hello"}) is None:
            if time.monotonic() > deadline:
                raise SystemExit("the warm helper did not answer")
            time.sleep(0.5)
        impact("--force")  # the helper's kernels warm, and its first build done
        for _ in range(runs):
            for case, change in cases.items():
                if change:
                    change()
                times.setdefault(case, []).append(impact())
    finally:
        warm.stop(root)
    return times


def bench_scale(tmp: Path, runs: int, env: dict, factor: float) -> dict:
    from impact.report.build import KernelPool, WARM_IMPORTS
    from impact.report.cache import BuildCache
    from impact.report.live import rebuild
    from impact.study import Study

    root = tmp / "scale"
    env = dict(env, IMPACT_STUDY=str(root))
    run([IMPACT, "demo", str(root), "--scale", str(factor)], env, tmp)
    cold = run([IMPACT, "--study", str(root), "process"], env, root)
    printed: list[str] = []
    first = run([IMPACT, "build", "--study", str(root)], env, root, printed)
    # "  nl/02_bereik_in_de_buurt: gemaakt (12.3 s)": each notebook's own seconds in the first build
    per_notebook = {m.group(1): float(m.group(2))
                    for m in re.finditer(r"^\s*(\S+): \S+ \((\d+(?:\.\d+)?) s\)", printed[0], re.M)}
    changes = Changes(root)
    study = Study.load(root)
    times: dict[str, list[float]] = {}
    pool = KernelPool(2, warm=[*WARM_IMPORTS, *BuildCache(root).warm])
    pool.start()
    try:
        rebuild(study, [], kernels=pool, build_options={}, first=True)
        for _ in range(runs):
            changes.coding()
            times.setdefault("a impact", []).append(run([IMPACT, "--study", str(root), "process"], env, root)
                                                    + run([IMPACT, "build", "--study", str(root)], env, root))
            changed = changes.coding()
            started = time.perf_counter()
            done = rebuild(study, [changed], kernels=pool, build_options={})
            times.setdefault("a impact --watch", []).append(time.perf_counter() - started)
            assert not done.error and not done.result.failed, done.error or done.result.failed
            times.setdefault("c impact", []).append(run([IMPACT, "--study", str(root), "process"], env, root)
                                                    + run([IMPACT, "build", "--study", str(root)], env, root))
    finally:
        pool.close()

    def impact(*build: str) -> float:
        return run([IMPACT, "--study", str(root), "process"], env, root) \
            + run([IMPACT, "build", "--study", str(root), *build], env, root)

    for case, values in with_helper(root, runs, {"a": changes.coding, "c": None}, impact).items():
        times[f"{case} impact + warm helper"] = values
    return {"factor": factor, "first_process_s": cold, "first_build_s": first, "first_build_notebooks_s": per_notebook,
            "times": {k: summary(v) for k, v in times.items()}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0, help="0: leave the scale case out")
    args = parser.parse_args()
    import logging

    logging.basicConfig(level=logging.WARNING)  # as impact build --watch does: deduce would set DEBUG on stdout
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a user's machine: byte code is cached
    with tempfile.TemporaryDirectory(prefix="bench-live-") as tmp:
        out = {"runs": args.runs, "demo": bench_demo(Path(tmp), args.runs, env)}
        print(json.dumps(out), flush=True)  # kept if the scale case fails
        if args.scale:
            out["scale"] = bench_scale(Path(tmp), args.runs, env, args.scale)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
