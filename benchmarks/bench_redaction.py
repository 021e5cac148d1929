"""Redaction speed on the large synthetic study, one process per measurement.

Usage::

    .venv/bin/python benchmarks/bench_redaction.py STUDY_DIR [N_TRANSCRIPTS]

STUDY_DIR is a study made by ``impact demo DIR --scale 1``. Prints one JSON
line: seconds to build the deduce model, to build the study's redactor from
its register (21,000 people at 1x), to redact the first N transcripts in
this one process (no cache, no worker pool), and to run ``find_pii`` (the
publish guard's patterns) over the same texts. To compare two versions of
the code side by side, run this script with ``PYTHONPATH`` pointing at the
other version's checkout (see ``benchmarks/run.py --only redaction``).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    root = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    import polars as pl

    import impact
    from impact.privacy import Redactor
    from impact.privacy.detect import find_pii
    from impact.privacy.redact import deduce_model

    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "data/raw/transcripts").glob("*.md"))[:n]]
    people = pl.read_csv(root / "data/raw/people.csv", comment_prefix="#", infer_schema=False)
    cols = [c for c in ("person_id", "name", "name_variants", "phone", "email", "address") if c in people.columns]
    t0 = time.perf_counter()
    deduce_model()
    t1 = time.perf_counter()
    redactor = Redactor.from_register(people.select(cols))
    redactor.redact("Warm: Fatima belt 06-12345678.")
    t2 = time.perf_counter()
    findings = sum(len(redactor.redact(t).findings) for t in texts)
    t3 = time.perf_counter()
    patterns = sum(len(find_pii(t)) for t in texts)
    t4 = time.perf_counter()
    print(json.dumps({"code": str(Path(impact.__file__).parent), "transcripts": len(texts),
                      "characters": sum(map(len, texts)), "deduce_model_s": t1 - t0,
                      "redactor_from_register_s": t2 - t1, "redact_s": t3 - t2, "find_pii_s": t4 - t3,
                      "findings": findings, "pattern_hits": patterns}))


if __name__ == "__main__":
    main()
