"""Agreement over 1,000,000 units: ``impact.coding.agreement`` beside ``krippendorff.alpha``.

Both in one process, side by side, on the same coders x units matrix (one
code, two coders, 1,000,000 paragraph units in 5,000 synthetic documents).
``krippendorff.alpha`` gets the finished matrix; ``agreement`` starts from the
codings (it maps them to units, then computes alpha, kappa and percent
agreement). "first call" includes cutting the documents into units and the
imports agreement needs; "repeat" reuses what the corpus cached (units and
who coded which unit), so it is alpha plus counting; "fresh corpus" is a
first call on a new corpus in a warm process (cutting and mapping, no
imports), measured ``runs`` times. Prints one JSON object.

    .venv/bin/python benchmarks/bench_agreement.py [RUNS] [--docs N] [--per-doc N]
"""

from __future__ import annotations

import json
import statistics
import time


def corpus(n_docs: int = 5_000, per_doc: int = 200, seed: int = 7):
    import numpy as np
    import polars as pl

    from impact.coding.corpus import Corpus

    rng = np.random.default_rng(seed)
    para = "Dit is een alinea."  # 18 characters, then a blank line
    text = "\n\n".join([para] * per_doc)
    docs = pl.DataFrame({"document": [f"D{i:05d}" for i in range(n_docs)], "text": [text] * n_docs})
    n_units = n_docs * per_doc
    unit = np.arange(n_units)
    a = rng.random(n_units) < 0.3
    b = np.where(rng.random(n_units) < 0.85, a, ~a)  # B agrees with A 85% of the time
    rows = []
    for coder, hit in (("A", a), ("B", b)):
        u = unit[hit]
        start = (u % per_doc) * (len(para) + 2)
        rows.append(pl.DataFrame({"document": [f"D{d:05d}" for d in (u // per_doc).tolist()],
                                  "start": start, "end": start + len(para), "code": "x", "coder": coder}))
    return docs, pl.concat(rows), n_units


def main(runs: int = 5, n_docs: int = 5_000, per_doc: int = 200) -> dict:
    docs, codings, n_units = corpus(n_docs, per_doc)
    from impact.coding.corpus import Corpus

    t = time.perf_counter()
    import impact.coding as coding

    c = Corpus.from_tables(docs, codings)
    first_t = time.perf_counter()
    first = coding.agreement(c)
    first_s = time.perf_counter() - first_t
    setup_s = first_t - t
    import krippendorff

    matrix = coding.agreement_matrix(c, "x")
    assert matrix.shape[1] == n_units
    ours, theirs = [], []
    for _ in range(runs):
        t = time.perf_counter()
        krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
        theirs.append(time.perf_counter() - t)
        t = time.perf_counter()
        coding.agreement(c)
        ours.append(time.perf_counter() - t)
    fresh = []
    for _ in range(runs):
        new = Corpus.from_tables(docs, codings)
        t = time.perf_counter()
        coding.agreement(new)
        fresh.append(time.perf_counter() - t)
        del new
    alpha_ref = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
    alpha_ours = float(first.filter(first["code"] == "x")["krippendorff_alpha"][0])
    med_o, med_k = statistics.median(ours), statistics.median(theirs)
    return {"units": n_units, "runs": runs, "krippendorff_median_s": med_k,
            "krippendorff_min_max": [min(theirs), max(theirs)], "agreement_repeat_median_s": med_o,
            "agreement_repeat_min_max": [min(ours), max(ours)], "agreement_first_call_s": first_s,
            "agreement_fresh_corpus_median_s": statistics.median(fresh),
            "agreement_fresh_corpus_min_max": [min(fresh), max(fresh)],
            "corpus_setup_s": setup_s, "ratio_repeat": med_o / med_k, "ratio_first": first_s / med_k,
            "ratio_fresh_corpus": statistics.median(fresh) / med_k,
            "alpha_krippendorff": alpha_ref, "alpha_agreement": alpha_ours}


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runs", nargs="?", type=int, default=5, help="timed runs of each call (default 5)")
    ap.add_argument("--docs", type=int, default=5_000, help="synthetic documents (default 5,000)")
    ap.add_argument("--per-doc", type=int, default=200, help="paragraphs per document (default 200)")
    args = ap.parse_args()
    print(json.dumps(main(args.runs, args.docs, args.per_doc)))
