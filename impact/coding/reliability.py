"""Agreement between coders: per code and overall, on units of text.

Each unit (a paragraph by default, or a speaker turn, or a whole document)
gets, per code and per coder, a 1 when the coder's codings touch the unit
with that code and a 0 when the coder coded the document but not this unit
with that code. A coder who did not code a document has no value for its
units (missing, not 0). From this presence data:

* Krippendorff's alpha (nominal), from the coincidence matrix (Krippendorff
  2011; the tests check it against the ``krippendorff`` package);
* Cohen's kappa when exactly two coders take part (the ``statsmodels`` formula);
* percent agreement: the share of units (seen by at least two coders) where
  all coders who saw it agree.

Alpha of a code comes from its units' coincidence matrix, summed over the
few distinct (absent, present) count pairs instead of over every unit: the
value ``krippendorff.alpha`` gives on the reliability matrix (see the tests)
without building it. The ``(all)`` row pools every code: alpha over all
(unit, code) pairs from the pooled coincidence matrix, kappa from the
summed 2x2 tables.

Everything is vectorised (numpy/polars): codings are mapped to units with
``searchsorted``, presence is counted with ``bincount``; no loop runs per unit.
Processed tables already say which paragraphs each coding touches
(``impact.coding.units``, written by ``impact process``): then paragraphs
are neither cut nor searched, with the same result.

Notes:
    Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability.
    Annenberg School for Communication, University of Pennsylvania.
    Cohen, J. (1960). A coefficient of agreement for nominal scales.
    Educational and Psychological Measurement, 20(1), 37-46.

Example:
    >>> import polars as pl
    >>> from impact.coding.corpus import Corpus
    >>> docs = pl.DataFrame({"document": ["I1"], "text": ["a\\n\\nb\\n\\nc\\n\\nd"]})
    >>> cod = pl.DataFrame({"document": ["I1"] * 4, "start": [0, 3, 0, 6], "end": [1, 4, 1, 7],
    ...                     "code": ["x"] * 4, "coder": ["A", "A", "B", "B"]})
    >>> t = agreement(Corpus.from_tables(docs, cod))
    >>> t.select("code", "percent_agreement", "units").rows()
    [('x', 0.5, 4), ('(all)', 0.5, 4)]
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from impact.errors import InputError, Text

OVERALL = "(all)"
_SHIFT = 1 << 40  # documents are laid end to end at multiples of this offset


@dataclass
class Presence:
    """Who coded which unit with which code (arrays over units, coders, codes)."""

    unit_table: object     # polars units table (row i = unit i), or a function that makes it
    coders: list[str]
    codes: list[str]
    seen: object           # bool (coders x units): the coder coded the unit's document
    code_of: object        # int array per (code, coder, unit) triple, sorted by code
    coder_of: object
    unit_of: object
    bounds: object         # code k's triples are code_of[bounds[k]:bounds[k+1]]
    n_seen: object = None  # int array over units: how many coders coded the unit's document

    @property
    def units(self):
        """The units table, row i = unit i (made when first asked: agreement needs no texts)."""
        if callable(self.unit_table):
            self.unit_table = self.unit_table()
        return self.unit_table


def _units_table(corpus, unit):
    if isinstance(unit, str):
        return corpus.units(unit)
    missing = {"document", "unit_id", "start", "end"} - set(unit.columns)
    if missing:
        raise InputError(Text("De tabel met eenheden mist de kolommen {missing}.",
                              missing=', '.join(sorted(missing))))
    return unit


def presence(corpus, unit="paragraph", coders: list[str] | None = None, codes: list[str] | None = None,
             min_coders: int = 2) -> Presence:
    """Map every coding to the units it touches (vectorised).

    Cached on the corpus per unit kind, coders and codes, so a second
    ``agreement`` of the same corpus only counts.
    """
    import polars as pl

    cache = corpus.cache() if isinstance(unit, str) and hasattr(corpus, "cache") else None
    key = ("presence", unit, None if coders is None else tuple(sorted(set(coders))),
           None if codes is None else tuple(sorted(set(codes))))
    p = cache.get(key) if cache is not None else None
    if p is None:
        codings = corpus.codings
        if coders is not None:
            codings = codings.filter(pl.col("coder").is_in(list(coders)))
        if codes is not None:
            codings = codings.filter(pl.col("code").is_in(list(codes)))
        coder_list = sorted(set(coders) if coders is not None else set(codings["coder"].unique().to_list()))
        p = _presence(corpus, unit, codings, coder_list) if len(coder_list) >= min_coders else None
        if cache is not None and p is not None:
            cache[key] = p
    else:
        coder_list = p.coders
    if len(coder_list) < min_coders:
        raise InputError(Text("Voor overeenstemming zijn minstens twee codeurs nodig; gevonden: {value}.",
                              value=', '.join(coder_list) or 'geen', value2=', '.join(coder_list) or 'none'))
    return p


def _ids(column, values):
    """Positions of ``column``'s values in ``values`` (null when absent), via a polars Enum, not a string join."""
    import polars as pl

    if None in values:
        return column.replace_strict([v for v in values if v is not None],
                                     [i for i, v in enumerate(values) if v is not None], default=None,
                                     return_dtype=pl.Int64)
    return column.cast(pl.Utf8).cast(pl.Enum(values), strict=False).to_physical().cast(pl.Int64)


def _presence(corpus, unit, codings, coder_list) -> Presence:
    import numpy as np
    import polars as pl

    from impact.coding.units import FIRST, LAST, unit_span

    code_list = sorted(codings["code"].unique().to_list())
    known = _precomputed_units(corpus, unit, codings)
    if known is not None:
        # impact process found each coding's paragraphs: no cutting, no searching
        units, docs, unit_doc, doc_first, counts = known
        c = (codings.select(_ids(pl.col("document"), docs).alias("_d"), _ids(pl.col("coder"), coder_list).alias("_c"),
                            _ids(pl.col("code"), code_list).alias("_k"), FIRST, LAST)
             .drop_nulls(["_d", "_c", "_k"]))
        d = c["_d"].to_numpy()
        if not _fits(d, c[FIRST], c[LAST], counts):
            known = None  # columns of other texts: cut these
    if known is not None:
        cd, k = c["_c"].to_numpy(), c["_k"].to_numpy()
        first = doc_first[d] + c[FIRST].fill_null(1).to_numpy() - 1  # null: touches no paragraph
        last = doc_first[d] + c[LAST].fill_null(0).to_numpy() - 1
        n_units = len(unit_doc)
    else:
        units, docs, gs, ge, unit_doc = _prepared_units(corpus, unit)
        c = (codings.select(_ids(pl.col("document"), docs).alias("_d"), _ids(pl.col("coder"), coder_list).alias("_c"),
                            _ids(pl.col("code"), code_list).alias("_k"), "start", "end")
             .drop_nulls(["_d", "_c", "_k"])
             .with_columns((pl.col("_d") * _SHIFT + pl.col("start")).alias("_s"),
                           (pl.col("_d") * _SHIFT + pl.col("end")).alias("_e"))
             .sort("_s"))  # sorted needles make searchsorted cache-friendly
        d, cd, k = c["_d"].to_numpy(), c["_c"].to_numpy(), c["_k"].to_numpy()
        first, last = unit_span(gs, ge, c["_s"].to_numpy(), c["_e"].to_numpy())
        n_units = len(gs)
    count = np.maximum(last - first + 1, 0)
    if (count == 1).all():  # every coding within one unit: nothing to repeat
        unit_idx, code_rep, coder_rep = first, k, cd
    else:
        total = int(count.sum())
        offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
        unit_idx = np.repeat(first, count) + offsets
        code_rep, coder_rep = np.repeat(k, count), np.repeat(cd, count)
    n_coders = len(coder_list)
    # per code, mark (coder, unit) in a flat boolean array: duplicates collapse without a sort
    order = np.argsort(code_rep, kind="stable")
    bounds_rep = np.searchsorted(code_rep[order], np.arange(len(code_list) + 1), side="left")
    flag = np.zeros(n_coders * max(n_units, 1), dtype=bool)
    parts_coder, parts_unit, sizes = [], [], []
    for j in range(len(code_list)):
        sel = order[bounds_rep[j]:bounds_rep[j + 1]]
        flag[coder_rep[sel] * n_units + unit_idx[sel]] = True
        hit = np.flatnonzero(flag)
        flag[hit] = False
        parts_coder.append(hit // max(n_units, 1))
        parts_unit.append(hit % max(n_units, 1))
        sizes.append(len(hit))
    sizes = np.asarray(sizes, dtype=np.int64)
    code_of = np.repeat(np.arange(len(code_list), dtype=np.int64), sizes)
    coder_of = np.concatenate(parts_coder) if parts_coder else np.zeros(0, dtype=np.int64)
    unit_of = np.concatenate(parts_unit) if parts_unit else np.zeros(0, dtype=np.int64)
    seen_doc = np.zeros((n_coders, len(docs)), dtype=bool)
    seen_doc[cd, d] = True
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    n_seen_doc = seen_doc.sum(axis=0)
    # units come grouped by document, in document order: repeat each document's values (cheaper than a gather)
    per_doc = np.bincount(unit_doc, minlength=len(docs))
    p = Presence(unit_table=units, coders=coder_list, codes=code_list,
                 seen=np.repeat(seen_doc, per_doc, axis=1), code_of=code_of, coder_of=coder_of, unit_of=unit_of,
                 bounds=bounds, n_seen=np.repeat(n_seen_doc, per_doc))
    for array in (p.seen, p.code_of, p.coder_of, p.unit_of, p.bounds, p.n_seen):
        array.flags.writeable = False  # shared through the corpus's cache
    return p


def _precomputed_units(corpus, unit, codings):
    """Units from the paragraph columns of processed tables (``impact.coding.units``), or None.

    Used for ``unit="paragraph"`` when the documents carry ``paragraphs``
    and the codings ``paragraph`` and ``paragraph_last``, document names
    are unique and counts are set (otherwise, or when a coding's paragraphs
    do not fit its document, the corpus cuts its texts as without the columns).
    Returns (units table maker, document names, document of each unit,
    index of each document's first unit, paragraphs per document); cached.
    """
    import numpy as np
    import polars as pl

    from impact.coding.units import COUNT, has_unit_columns

    if not isinstance(unit, str) or unit != "paragraph" or not hasattr(corpus, "cache") \
            or not has_unit_columns(corpus.documents, codings):
        return None
    cache = corpus.cache()
    key = ("_precomputed", unit)
    if key not in cache:
        cache[key] = None
        documents = corpus.documents
        docs = documents["document"].to_list()
        counts = documents[COUNT]
        if None not in docs and len(set(docs)) == len(docs) and counts.null_count() == 0 and \
                (not len(counts) or counts.min() >= 0):
            counts = counts.cast(pl.Int64).to_numpy()
            doc_first = np.cumsum(counts) - counts
            unit_doc = np.repeat(np.arange(len(docs), dtype=np.int64), counts)
            owner = weakref.ref(corpus)

            def table():
                c = owner()
                if c is not None and c.documents is documents:
                    return c.units(unit)
                from impact.coding.corpus import make_units

                return make_units(documents, unit)

            cache[key] = (table, docs, unit_doc, doc_first, counts)
    return cache[key]


def _fits(d, first, last, counts) -> bool:
    """Whether precomputed paragraphs fit their documents: both null (none) or 1 <= first <= last <= paragraphs."""
    import numpy as np

    f_null, l_null = first.is_null().to_numpy(), last.is_null().to_numpy()
    if (f_null != l_null).any():
        return False
    f, l = first.fill_null(1).to_numpy(), last.fill_null(1).to_numpy()
    return not ((f < 1) | (l < f) | (l > np.where(l_null, 1, counts[d]))).any()


def _prepared_units(corpus, unit):
    """Units sorted by document and start, with their positions laid end to end (cached per kind)."""
    import numpy as np
    import polars as pl

    key = ("_prepared", unit) if isinstance(unit, str) else None
    cache = corpus.cache() if hasattr(corpus, "cache") else None
    if key is not None and cache is not None and key in cache:
        return cache[key]
    docs = corpus.documents["document"].to_list() if key is not None and cache is not None else None
    if docs is not None and None not in docs and len(set(docs)) == len(docs) and hasattr(corpus, "unit_bounds"):
        # the corpus's own units: grouped by document (its row) and in order; the table itself
        # (with a text per unit) only when someone asks for it
        doc_index, starts, ends = corpus.unit_bounds(unit)
        documents, owner = corpus.documents, weakref.ref(corpus)  # no cycle corpus -> cache -> corpus

        def table():
            c = owner()
            if c is not None and c.documents is documents:
                return c.units(unit)
            from impact.coding.corpus import make_units

            return make_units(documents, unit)

        prepared = (table, docs, doc_index * _SHIFT + starts, doc_index * _SHIFT + ends,
                    doc_index)
        cache[key] = prepared
        return prepared
    units = _units_table(corpus, unit)
    docs = units["document"].unique(maintain_order=True).to_list()
    doc_map = pl.DataFrame({"document": docs, "_d": np.arange(len(docs), dtype=np.int64)},
                           schema={"document": pl.Utf8, "_d": pl.Int64})
    units = units.join(doc_map, on="document", how="left").sort("_d", "start")
    unit_doc = units["_d"].to_numpy()
    starts, ends = units["start"].to_numpy().astype(np.int64), units["end"].to_numpy().astype(np.int64)
    prepared = (units.drop("_d"), docs, unit_doc * _SHIFT + starts, unit_doc * _SHIFT + ends, unit_doc)
    if key is not None and cache is not None:
        cache[key] = prepared
    return prepared


def reliability_matrix(p: Presence, code: str):
    """Coders x units matrix for one code: 1, 0, or NaN (coder did not code the document)."""
    import numpy as np

    k = p.codes.index(code)
    m = np.where(p.seen, 0.0, np.nan)
    sl = slice(p.bounds[k], p.bounds[k + 1])
    m[p.coder_of[sl], p.unit_of[sl]] = 1.0
    return m


def pooled_alpha(value_count_blocks) -> float | None:
    """Nominal alpha of stacked two-value count blocks (absent, present), from their summed coincidence matrix.

    Krippendorff (2011), section on nominal data: alpha = 1 - (n - 1) *
    sum_{c != k} o_ck / sum_{c != k} n_c n_k, with o_ck the coincidences of
    pairable units (m_u >= 2) and n the number of pairable values.
    """
    import numpy as np

    o = None
    for vc in value_count_blocks:
        vc = np.asarray(vc, dtype=np.int64)
        if not len(vc):
            continue
        # identical rows contribute identically: count each distinct row once, weighted;
        # then keep the pairable ones (m >= 2): a few rows, not a copy of the block
        base = int(vc.max()) + 1
        weight = np.bincount(vc[:, 0] * base + vc[:, 1], minlength=base * base)
        present = np.flatnonzero(weight)
        rows = np.column_stack([present // base, present % base])
        pairable = rows.sum(axis=1) >= 2
        if not pairable.any():
            continue
        rows, weight = rows[pairable].astype(np.float64), weight[present[pairable]]
        m = rows.sum(axis=1)
        scaled = rows * (weight / (m - 1))[:, None]
        block = scaled.T @ rows - np.diag(scaled.sum(axis=0))
        o = block if o is None else o + block
    if o is None:
        return None
    n_c = o.sum(axis=1)
    n = n_c.sum()
    observed = o.sum() - np.trace(o)
    expected = (np.outer(n_c, n_c).sum() - (n_c ** 2).sum())
    if expected == 0:
        return None
    return float(1 - (n - 1) * observed / expected)


def _kappa(table) -> float | None:
    """Unweighted Cohen's kappa of a square table (coder A in rows, B in columns).

    The point estimate of ``statsmodels.stats.inter_rater.cohens_kappa``
    (Cohen 1960: (p_o - p_e) / (1 - p_e)), computed here because importing
    statsmodels takes seconds and we need no standard errors.
    """
    import numpy as np

    table = np.asarray(table, dtype=np.float64)
    total = table.sum()
    if total == 0:
        return None
    observed = np.trace(table) / total
    expected = float(table.sum(axis=1) @ table.sum(axis=0)) / total ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        k = float(np.float64(observed - expected) / np.float64(1 - expected))
    return k if np.isfinite(k) else None


def agreement(corpus, unit="paragraph", coders: list[str] | None = None, codes: list[str] | None = None):
    """Agreement per code and overall; one row per code plus ``(all)``.

    Parameters:
        corpus: a ``Corpus``.
        unit: ``"paragraph"`` (default), ``"turn"``, ``"document"`` or a units table.
        coders: the coders to compare (default: everyone with codings).
        codes: limit to these codes (default: every code used).

    Returns a polars DataFrame with ``code``, ``krippendorff_alpha``,
    ``cohen_kappa`` (only for exactly two coders), ``percent_agreement``
    (0..1), ``units`` (units seen by at least two coders) and
    ``units_with_code`` (of those, units where anyone used the code).
    Alpha or kappa is empty when it is undefined (no variation).
    """
    import numpy as np
    import polars as pl

    p = presence(corpus, unit, coders, codes)
    n_seen = p.n_seen
    pairable = n_seen >= 2
    n_pair = int(pairable.sum())
    if n_pair == len(n_seen):
        pairable = slice(None)  # every unit: no copy
    two = len(p.coders) == 2
    rows, blocks, tables = [], [], []
    agree_total = 0
    for k, code in enumerate(p.codes):
        sl = slice(p.bounds[k], p.bounds[k + 1])
        ones = np.bincount(p.unit_of[sl], minlength=len(n_seen))
        vc = np.stack([n_seen - ones, ones], axis=1)[pairable]
        blocks.append(vc)
        agree = int(((vc[:, 1] == 0) | (vc[:, 0] == 0)).sum())
        agree_total += agree
        kappa = None
        if two:
            a_ones = np.bincount(p.unit_of[sl][p.coder_of[sl] == 0], minlength=len(n_seen))[pairable]
            b_ones = vc[:, 1] - a_ones
            # cells (a, b) of the 2x2 table in one pass: index 2a + b
            table = np.bincount(a_ones * 2 + b_ones, minlength=4)[:4].reshape(2, 2).astype(np.float64)
            tables.append(table)
            kappa = _kappa(table)
        rows.append({"code": code, "krippendorff_alpha": pooled_alpha([vc]), "cohen_kappa": kappa,
                     "percent_agreement": agree / n_pair if n_pair else None, "units": n_pair,
                     "units_with_code": int((vc[:, 1] > 0).sum())})
    if rows:
        rows.append({"code": OVERALL,
                     "krippendorff_alpha": rows[0]["krippendorff_alpha"] if len(rows) == 1 else pooled_alpha(blocks),
                     "cohen_kappa": _kappa(sum(tables)) if two else None,
                     "percent_agreement": agree_total / (n_pair * len(p.codes)) if n_pair else None,
                     "units": n_pair, "units_with_code": sum(r["units_with_code"] for r in rows)})
    return pl.DataFrame(rows, schema={"code": pl.Utf8, "krippendorff_alpha": pl.Float64, "cohen_kappa": pl.Float64,
                                      "percent_agreement": pl.Float64, "units": pl.Int64,
                                      "units_with_code": pl.Int64})


def disagreements(corpus, unit="paragraph", coders: list[str] | None = None, codes: list[str] | None = None):
    """Units where coders disagree about a code, for the consensus meeting.

    One row per (unit, code): document, unit_id, start, end, text, code,
    coded_by (coders who used the code there), not_coded_by (coders who
    saw the unit but did not).
    """
    import numpy as np
    import polars as pl

    p = presence(corpus, unit, coders, codes)
    n_seen = p.n_seen
    schema = {"document": pl.Utf8, "unit_id": pl.Int64, "start": pl.Int64, "end": pl.Int64, "text": pl.Utf8,
              "code": pl.Utf8, "coded_by": pl.List(pl.Utf8), "not_coded_by": pl.List(pl.Utf8)}
    # units where some but not all coders who saw them used the code (vectorised);
    # only those (few) rows are turned into lists of names
    pair = p.code_of * max(len(n_seen), 1) + p.unit_of
    _, inverse, n_pair = np.unique(pair, return_inverse=True, return_counts=True)
    n_by = n_pair[inverse]
    split = n_by < n_seen[p.unit_of]
    if not split.any():
        return pl.DataFrame(schema=schema)
    # one row per (unit, code, coder who used it), then the coders who saw the unit and did not: in polars,
    # not a loop per row (at scale there are tens of thousands of such units)
    used = pl.DataFrame({"u": p.unit_of[split].astype(np.int64), "k": p.code_of[split].astype(np.int64),
                         "c": p.coder_of[split].astype(np.int64)})
    shown = np.unique(p.unit_of[split])
    seen_coder, seen_at = np.nonzero(p.seen[:, shown])
    saw = used.select("u", "k").unique().join(
        pl.DataFrame({"u": shown[seen_at].astype(np.int64), "c": seen_coder.astype(np.int64)}), on="u")
    names = pl.DataFrame({"c": np.arange(len(p.coders), dtype=np.int64), "coder": list(p.coders)},
                         schema={"c": pl.Int64, "coder": pl.Utf8})

    def lists(frame, column: str):
        return (frame.join(names, on="c").group_by("u", "k")
                .agg(pl.col("coder").unique().sort().alias(column)))

    rows = lists(used, "coded_by").join(
        lists(saw.join(used, on=["u", "k", "c"], how="anti"), "not_coded_by"), on=["u", "k"], how="left")
    units = p.units.with_row_index("u").with_columns(pl.col("u").cast(pl.Int64))
    if "text" not in units.columns:
        units = units.with_columns(pl.lit(None, dtype=pl.Utf8).alias("text"))
    codes = pl.DataFrame({"k": np.arange(len(p.codes), dtype=np.int64), "code": list(p.codes)},
                         schema={"k": pl.Int64, "code": pl.Utf8})
    out = (rows.join(units, on="u").join(codes, on="k")
           .with_columns(pl.col("not_coded_by").fill_null(pl.lit([], dtype=pl.List(pl.Utf8)))))
    return out.select([pl.col(name).cast(kind) for name, kind in schema.items()]).sort("document", "unit_id", "code")


def agreement_matrix(corpus, code: str, unit="paragraph", coders: list[str] | None = None):
    """The coders x units reliability matrix of one code (1 / 0 / NaN), for checks and benchmarks."""
    return reliability_matrix(presence(corpus, unit, coders), code)
