"""Agreement over 1,000,000 units: ``impact.coding.agreement`` beside ``krippendorff.alpha``.

Same coders x units matrix (one code, two coders, 1,000,000 paragraph units
in 5,000 synthetic documents). ``krippendorff.alpha`` gets the finished
matrix; ``agreement`` starts from the codings (it maps them to units, then
computes alpha, kappa and percent agreement).

Each run is a fresh process per case, the cases alternating:

* ``precomputed``: a corpus from tables WITH the paragraph columns that
  ``impact process`` writes (``impact.coding.units.add_unit_columns``; made
  before timing, as process does): what agreement on a processed study does;
* ``cut``: the same tables without them: the corpus cuts its texts and maps
  the codings by position (qdpx import, markup, hand-made tables);
* ``krippendorff``: ``krippendorff.alpha`` on the matrix as the first call of
  its process (for comparison only: the goal compares with a warm call).

In the first two, "first call" is ``agreement(corpus)`` on a new corpus in a
new process (imports agreement needs included); then ``krippendorff.alpha``
on the matrix ``runs`` times (warm), ``agreement`` repeated ``runs`` times
(cached units and presence: alpha plus counting) and a first call on a fresh
corpus in the warm process ``runs`` times. Medians over the processes;
ratios are medians over the same runs. Prints one JSON object; the keys
without ``precomputed`` are the ``cut`` case (as before this file measured both).

    .venv/bin/python benchmarks/bench_agreement.py [RUNS] [--docs N] [--per-doc N]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time

CASES = ("cut", "precomputed", "krippendorff")


def corpus(n_docs: int = 5_000, per_doc: int = 200, seed: int = 7, matrix: bool = False):
    """Documents and codings (and, with ``matrix``, the coders x units matrix they make)."""
    import numpy as np
    import polars as pl

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
    if matrix:  # every coder coded every document: no NaN
        return docs, pl.concat(rows), n_units, np.stack([a, b]).astype(np.float64)
    return docs, pl.concat(rows), n_units


def _med(xs):
    return statistics.median(xs)


def child(case: str, runs: int, n_docs: int, per_doc: int) -> dict:
    """One fresh process of one case (see the module docs)."""
    if case == "krippendorff":
        _, _, n_units, matrix = corpus(n_docs, per_doc, matrix=True)
        t = time.perf_counter()
        import krippendorff

        first_alpha = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
        first_s = time.perf_counter() - t
        theirs = []
        for _ in range(runs):
            t = time.perf_counter()
            krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
            theirs.append(time.perf_counter() - t)
        return {"units": n_units, "first_s": first_s, "krippendorff": theirs, "alpha_krippendorff": float(first_alpha)}
    docs, codings, n_units = corpus(n_docs, per_doc)
    from impact.coding.corpus import Corpus

    if case == "precomputed":
        from impact.coding.units import add_unit_columns

        docs, codings = add_unit_columns(docs, codings)
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
    return {"units": n_units, "first_s": first_s, "setup_s": setup_s, "krippendorff": theirs, "repeat": ours,
            "fresh": fresh, "alpha_krippendorff": float(krippendorff.alpha(reliability_data=matrix,
                                                                            level_of_measurement="nominal")),
            "alpha_agreement": float(first.filter(first["code"] == "x")["krippendorff_alpha"][0]),
            "table": first.rows()}


def main(runs: int = 5, n_docs: int = 5_000, per_doc: int = 200) -> dict:
    got: dict[str, list[dict]] = {case: [] for case in CASES}
    for _ in range(runs):
        for case in CASES:  # alternating, each in a new process
            out = subprocess.run([sys.executable, __file__, str(runs), "--docs", str(n_docs), "--per-doc",
                                  str(per_doc), "--child", case], capture_output=True, text=True, check=True)
            got[case].append(json.loads(out.stdout.strip().splitlines()[-1]))
    cut, pre, kr = got["cut"], got["precomputed"], got["krippendorff"]
    assert all(r["table"] == cut[0]["table"] for r in cut + pre), "same agreement with and without the columns"

    def flat(rows, key):
        return [x for r in rows for x in r[key]]

    med_k = _med(flat(cut + pre, "krippendorff"))  # warm krippendorff.alpha, in both kinds of process
    first_cut, first_pre = [r["first_s"] for r in cut], [r["first_s"] for r in pre]
    repeat, fresh = flat(cut, "repeat"), flat(cut, "fresh")
    repeat_pre, fresh_pre = flat(pre, "repeat"), flat(pre, "fresh")
    k_first = [r["first_s"] for r in kr]
    # side by side: each process's first call over the warm krippendorff median of that process
    per_cut = [r["first_s"] / _med(r["krippendorff"]) for r in cut]
    per_pre = [r["first_s"] / _med(r["krippendorff"]) for r in pre]
    return {"units": cut[0]["units"], "runs": runs, "processes_per_case": len(cut),
            "krippendorff_median_s": med_k,
            "krippendorff_min_max": [min(flat(cut + pre, "krippendorff")), max(flat(cut + pre, "krippendorff"))],
            "krippendorff_first_call_median_s": _med(k_first),
            "krippendorff_first_call_min_max": [min(k_first), max(k_first)],
            "agreement_repeat_median_s": _med(repeat), "agreement_repeat_min_max": [min(repeat), max(repeat)],
            "agreement_first_call_s": _med(first_cut), "agreement_first_call_min_max": [min(first_cut), max(first_cut)],
            "agreement_fresh_corpus_median_s": _med(fresh), "agreement_fresh_corpus_min_max": [min(fresh), max(fresh)],
            "agreement_first_call_precomputed_s": _med(first_pre),
            "agreement_first_call_precomputed_min_max": [min(first_pre), max(first_pre)],
            "agreement_repeat_precomputed_median_s": _med(repeat_pre),
            "agreement_fresh_corpus_precomputed_median_s": _med(fresh_pre),
            "agreement_fresh_corpus_precomputed_min_max": [min(fresh_pre), max(fresh_pre)],
            "corpus_setup_s": _med([r["setup_s"] for r in cut]),
            "ratio_repeat": _med(repeat) / med_k, "ratio_first": _med(first_cut) / med_k,
            "ratio_fresh_corpus": _med(fresh) / med_k,
            "ratio_first_precomputed": _med(first_pre) / med_k,
            "ratio_fresh_corpus_precomputed": _med(fresh_pre) / med_k,
            "ratio_first_per_process": {"cut": [min(per_cut), _med(per_cut), max(per_cut)],
                                        "precomputed": [min(per_pre), _med(per_pre), max(per_pre)]},
            "ratio_first_vs_krippendorff_first": {"cut": _med(first_cut) / _med(k_first),
                                                  "precomputed": _med(first_pre) / _med(k_first)},
            "alpha_krippendorff": kr[0]["alpha_krippendorff"], "alpha_agreement": pre[0]["alpha_agreement"]}


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runs", nargs="?", type=int, default=5,
                    help="processes per case, and timed runs of each call in a process (default 5)")
    ap.add_argument("--docs", type=int, default=5_000, help="synthetic documents (default 5,000)")
    ap.add_argument("--per-doc", type=int, default=200, help="paragraphs per document (default 200)")
    ap.add_argument("--child", choices=CASES, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.runs, args.docs, args.per_doc)))
    else:
        print(json.dumps(main(args.runs, args.docs, args.per_doc)))
