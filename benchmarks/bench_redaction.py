"""Redaction speed on the large synthetic study: this code against another version, side by side.

Usage::

    .venv/bin/python benchmarks/bench_redaction.py --study DIR --before OLD [--runs 3] [--write]

``DIR`` is a study made by ``impact demo DIR --scale 1`` (made when missing).
``OLD`` is a folder holding another version's ``impact`` package (for
example ``git archive <commit> impact | tar -x -C OLD``); it is put first on
``PYTHONPATH``. The two versions run alternately, each measurement in a
fresh process:

* the parts, in one process: building the deduce model, building the
  study's redactor from its register (21,000 people at 1x), redacting 100
  transcripts (1 million characters, no cache, no worker pool) and running
  ``find_pii`` (the publish guard's patterns) over them;
* ``impact process`` with no redaction cache (every transcript redacted, on
  both cores), as in the scale benchmark.

``--write`` puts the table in the ``redaction`` section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

PARTS = r"""
import json, sys, time
from pathlib import Path
import polars as pl
import impact
from impact.privacy import Redactor
from impact.privacy.detect import find_pii
from impact.privacy.redact import deduce_model

root, n = Path(sys.argv[1]), int(sys.argv[2])
texts = [p.read_text(encoding="utf-8") for p in sorted((root / "data/raw/transcripts").glob("*.md"))[:n]]
people = pl.read_csv(root / "data/raw/people.csv", comment_prefix="#", infer_schema=False)
cols = [c for c in ("person_id", "name", "name_variants", "phone", "email", "address") if c in people.columns]
clock = time.process_time  # CPU seconds of this process: steadier than wall time on a shared machine
t0 = clock()
deduce_model()
t1 = clock()
redactor = Redactor.from_register(people.select(cols))
redactor.redact("Warm: Fatima belt 06-12345678.")
t2 = clock()
findings = sum(len(redactor.redact(t).findings) for t in texts)
t3 = clock()
patterns = sum(len(find_pii(t)) for t in texts)
t4 = clock()
print(json.dumps({"code": str(Path(impact.__file__).parent), "characters": sum(map(len, texts)),
                  "deduce model": t1 - t0, "redactor from register": t2 - t1, "redact 100 transcripts": t3 - t2,
                  "find_pii on 100 transcripts": t4 - t3, "findings": findings, "pattern hits": patterns}))
"""


def _env(pythonpath: str | None) -> dict:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return env


def parts(study: Path, pythonpath: str | None, n: int = 100) -> dict:
    # -P: the working folder does not go before PYTHONPATH (it holds this version's impact)
    out = subprocess.run([sys.executable, "-P", "-c", PARTS, str(study), str(n)], capture_output=True, text=True,
                         env=_env(pythonpath), check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def cold_process(study: Path, pythonpath: str | None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the process and its workers) of a cold ``impact process``."""
    shutil.rmtree(study / "data" / "private" / "redaction-cache", ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    command = [sys.executable, "-P", "-c", "from impact.cli import main; main()", "--study", str(study), "process"]
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(pythonpath), check=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--study", type=Path, required=True)
    ap.add_argument("--before", required=True, help="folder with the other version's impact package")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    load_start = os.getloadavg()[0]
    if not (args.study / "impact.toml").is_file():
        subprocess.run([sys.executable, "-c", "from impact.cli import main; main()", "demo", str(args.study),
                        "--scale", "1"], check=True, stdout=subprocess.DEVNULL)
    versions = {"before": args.before, "after": None}
    samples: dict[str, dict[str, list[float]]] = {v: {} for v in versions}
    counts: dict[str, dict] = {}
    for _ in range(args.runs):
        for name, path in versions.items():
            r = parts(args.study, path)
            counts[name] = {"findings": r["findings"], "pattern hits": r["pattern hits"],
                            "characters": r["characters"], "code": r["code"]}
            for key in ("deduce model", "redactor from register", "redact 100 transcripts",
                        "find_pii on 100 transcripts"):
                samples[name].setdefault(key, []).append(r[key])
            wall, cpu = cold_process(args.study, path)
            samples[name].setdefault("impact process, cold (1x study): CPU", []).append(cpu)
            samples[name].setdefault("impact process, cold (1x study): wall", []).append(wall)
    if counts["before"]["code"] == counts["after"]["code"]:
        raise SystemExit(f"both runs used the code in {counts['after']['code']}: check --before")
    rows = ["| step (CPU seconds unless it says wall) | before: median (s) | min-max | after: median (s) | min-max "
            "| after / before |",
            "|---|---|---|---|---|---|"]
    for key in samples["after"]:
        b, a = samples["before"][key], samples["after"][key]
        rows.append(f"| {key} | {statistics.median(b):.2f} | {min(b):.2f}-{max(b):.2f} | "
                    f"{statistics.median(a):.2f} | {min(a):.2f}-{max(a):.2f} | "
                    f"{statistics.median(a) / statistics.median(b):.2f} |")
    sys.path.insert(0, str(HERE))
    from run import machine, write_section

    body = (f"## Redaction speed: before and after the docdeid pipeline (issue 18)\n\nMachine: {machine()}. "
            f"`benchmarks/bench_redaction.py`, {args.runs} runs per version, alternating, each in a fresh "
            f"process, on `impact demo --scale 1` (1,000 transcripts, 21,000 people in the register). "
            f"Before: `{args.before}`. The parts run in one process on the first 100 transcripts "
            f"({counts['after']['characters']:,} characters); `impact process` redacts all 1,000 with no "
            f"redaction cache. CPU seconds (`time.process_time`, and `getrusage` of the process with its "
            f"workers) are steadier than wall time when other jobs share the 2 cores; load average at the "
            f"start {load_start:.1f}, at the end {{load_end}}.\n\n" + "\n".join(rows) + "\n\n"
            f"Same texts, same result counts: {counts['before']['findings']} (before) and "
            f"{counts['after']['findings']} (after) redacted spans, {counts['before']['pattern hits']} and "
            f"{counts['after']['pattern hits']} pattern hits.")
    body = body.replace("{load_end}", f"{os.getloadavg()[0]:.1f}")
    print(body)
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "redaction.json").write_text(json.dumps({"samples": samples, "counts": counts}, indent=1))
    if args.write:
        write_section("redaction", body)


if __name__ == "__main__":
    main()
