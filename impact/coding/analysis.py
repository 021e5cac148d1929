"""What the codings say: frequencies by actor type, co-occurrence, quotes, saturation.

Pure functions over a ``Corpus`` (documents with interview metadata,
codings); tables in, tables out.

Example:
    >>> import datetime as dt, polars as pl
    >>> from impact.coding.corpus import Corpus
    >>> docs = pl.DataFrame({"document": ["I1", "I2"], "text": ["a b", "c d"],
    ...                      "date": [dt.date(2023, 5, 2), dt.date(2023, 5, 1)],
    ...                      "actor_type": ["informal", "formal"], "interviewee": ["R1", "R2"]})
    >>> cod = pl.DataFrame({"document": ["I1", "I1", "I2"], "start": [0, 2, 0], "end": [1, 3, 1],
    ...                     "code": ["x", "y", "x"], "coder": ["A", "A", "A"]})
    >>> c = Corpus.from_tables(docs, cod)
    >>> code_frequencies(c).rows()
    [('x', 'formal', 1, 1, 1), ('x', 'informal', 1, 1, 1), ('y', 'informal', 1, 1, 1)]
    >>> saturation(c).select("document", "new_codes", "cumulative_codes").rows()
    [('I2', 1, 1), ('I1', 1, 2)]
"""

from __future__ import annotations

from impact.errors import InputError, Text


def _only(corpus, source_kind):
    from impact.coding.sources import only_source

    return only_source(corpus, source_kind)


def _with_meta(corpus, columns):
    import polars as pl

    missing = [c for c in columns if c not in corpus.documents.columns]
    if missing:
        raise InputError(Text("De documenten missen de kolom(men) {missing}.", missing=', '.join(missing)))
    meta = corpus.documents.select("document", *[c for c in columns if c != "document"])
    return corpus.codings.join(meta, on="document", how="left").with_columns(
        [pl.col(c) for c in columns if c != "document"])


def code_frequencies(corpus, by: str | None = "actor_type", source_kind: str | None = None):
    """Per code (and per value of ``by``): coded segments, documents and persons.

    ``segments`` counts distinct coded passages (the same words coded by two
    coders count once), ``documents`` distinct interviews, ``persons``
    distinct interviewees (documents when there is no ``interviewee``).
    ``source_kind`` (``interview`` or ``answer``) keeps one kind of source;
    for open answers the interviewee is the respondent.
    """
    import polars as pl

    corpus = _only(corpus, source_kind)

    keys = ["code"] + ([by] if by else [])
    person = "interviewee" if "interviewee" in corpus.documents.columns else "document"
    c = _with_meta(corpus, [k for k in keys if k != "code"] + ([person] if person != "document" else []))
    return (c.group_by(keys)
            .agg(pl.struct("document", "start", "end").n_unique().alias("segments"),
                 pl.col("document").n_unique().alias("documents"),
                 pl.col(person).drop_nulls().n_unique().alias("persons"))
            .sort(keys, nulls_last=True))


def cooccurrence(corpus, unit="paragraph", coders: list[str] | None = None, source_kind: str | None = None):
    """How often two codes touch the same unit; long table code_a, code_b, units.

    The diagonal (code_a == code_b) is the number of units with that code.
    Units: ``paragraph`` (default), ``turn``, ``document`` or a units table.
    An open answer is one paragraph. ``source_kind`` keeps interviews or answers.
    """
    import numpy as np
    import polars as pl

    from impact.coding.reliability import presence

    corpus = _only(corpus, source_kind)

    p = presence(corpus, unit, coders=coders, min_coders=1)
    if not len(p.codes):
        return pl.DataFrame(schema={"code_a": pl.Utf8, "code_b": pl.Utf8, "units": pl.Int64})
    pairs = pl.DataFrame({"k": p.code_of, "u": p.unit_of}).unique()
    joined = pairs.join(pairs, on="u", suffix="_b").filter(pl.col("k") <= pl.col("k_b"))
    names = np.array(p.codes, dtype=object)
    counts = joined.group_by("k", "k_b").agg(pl.len().cast(pl.Int64).alias("units"))
    return (counts.with_columns(pl.Series("code_a", names[counts["k"].to_numpy()].tolist(), pl.Utf8),
                                pl.Series("code_b", names[counts["k_b"].to_numpy()].tolist(), pl.Utf8))
            .select("code_a", "code_b", "units").sort("code_a", "code_b"))


META = ("date", "actor_type", "organisation_kind", "district", "interviewer", "interviewee",
        "source_kind", "role", "instrument", "item", "wave")


def quotes(corpus, code: str | list[str] | None = None, actor_type: str | None = None,
           consented_only: bool = True, source_kind: str | None = None):
    """Coded passages with their interview metadata, for reading and reporting.

    Filters by ``code`` (one or several) and ``actor_type``. Passages of
    interviews without consent (``consent`` False) are left out unless
    ``consented_only`` is False. The same words coded by several coders
    appear once, with the coders listed. Render ``text`` HTML-escaped.
    ``source_kind`` keeps interviews or open answers (for answers,
    ``consent`` is the respondent's consent to the questionnaire).
    """
    import polars as pl

    corpus = _only(corpus, source_kind)

    meta = [c for c in META if c in corpus.documents.columns]
    extra = ["consent"] if "consent" in corpus.documents.columns else []
    c = _with_meta(corpus, meta + extra)
    if code is not None:
        c = c.filter(pl.col("code").is_in([code] if isinstance(code, str) else list(code)))
    if actor_type is not None:
        c = c.filter(pl.col("actor_type") == actor_type)
    if consented_only and extra:
        c = c.filter(pl.col("consent").fill_null(False))
    if "quotable" in c.columns:  # withdrawn in a member check, or no consent for quotes
        c = c.filter(pl.col("quotable").fill_null(True) & pl.col("text").is_not_null())
    return (c.group_by(["code", "document", "start", "end", "text"] + meta)
            .agg(pl.col("coder").unique().sort().alias("coders"))
            .sort("code", "document", "start", "end"))


def saturation(corpus, date: str = "date", source_kind: str | None = None):
    """New codes per interview, in date order (then by name): is the codebook saturating?

    Columns: order (1..), document, date, codes (distinct codes in the
    interview), new_codes, cumulative_codes, new_code_names. ``source_kind``
    keeps interviews or open answers (each answer is a document).
    """
    import polars as pl

    corpus = _only(corpus, source_kind)

    docs = corpus.documents
    order_cols = ([date] if date in docs.columns else []) + ["document"]
    ordered = docs.select(order_cols).sort(order_cols, nulls_last=True).with_row_index("order", offset=1)
    first = (corpus.codings.select("document", "code").unique()
             .join(ordered, on="document", how="inner")
             .group_by("code").agg(pl.col("order").min().alias("first")))
    per_doc = (corpus.codings.select("document", "code").unique().group_by("document")
               .agg(pl.len().cast(pl.Int64).alias("codes")))
    new = first.group_by("first").agg(pl.len().cast(pl.Int64).alias("new_codes"),
                                      pl.col("code").sort().alias("new_code_names"))
    out = (ordered.join(per_doc, on="document", how="left").join(new, left_on="order", right_on="first", how="left")
           .with_columns(pl.col("codes").fill_null(0), pl.col("new_codes").fill_null(0),
                         pl.col("new_code_names").fill_null(pl.lit([], dtype=pl.List(pl.Utf8))))
           .with_columns(pl.col("new_codes").cum_sum().alias("cumulative_codes"))
           .with_columns(pl.col("order").cast(pl.Int64)))
    cols = ["order", "document"] + ([date] if date in docs.columns else []) + ["codes", "new_codes",
                                                                                "cumulative_codes", "new_code_names"]
    return out.select(cols).sort("order")


def respondents_mentioning(corpus, code: str | list[str] | None = None, by: str | None = "role",
                           source_kind: str | None = None, coders: list[str] | None = None):
    """How many people mention a code, per value of ``by`` (role, actor_type, district, wave, ...).

    A person counts once per code however often and in however many
    documents (answers, interviews) they mention it. ``persons`` are the
    people with a document in the (filtered) corpus: an answer nobody
    coded counts as mentioning nothing. ``coders`` limits the codings to
    some coders (default: a code counts when any coder used it).

    "How many residents mention verbinden in their answers?":
    ``respondents_mentioning(corpus, "verbinden", by="role", source_kind="answer")``.

    Returns code, ``by``, respondents, persons, share.
    """
    import polars as pl

    corpus = _only(corpus, source_kind)
    person = "interviewee" if "interviewee" in corpus.documents.columns else "document"
    keys = [by] if by else []
    docs = corpus.documents.select("document", person, *keys).filter(pl.col(person).is_not_null())
    cod = corpus.codings
    if coders is not None:
        cod = cod.filter(pl.col("coder").is_in(list(coders)))
    if code is not None:
        cod = cod.filter(pl.col("code").is_in([code] if isinstance(code, str) else list(code)))
    totals = docs.group_by(keys or pl.lit(1).alias("_all")).agg(pl.col(person).n_unique().cast(pl.Int64)
                                                                  .alias("persons"))
    hits = (cod.select("document", "code").unique().join(docs, on="document", how="inner")
            .group_by(["code", *keys]).agg(pl.col(person).n_unique().cast(pl.Int64).alias("respondents")))
    if not keys:
        hits = hits.with_columns(pl.lit(1).alias("_all"))
    out = hits.join(totals, on=keys or ["_all"], how="left").with_columns(
        (pl.col("respondents") / pl.col("persons")).round(3).alias("share"))
    return out.select("code", *keys, "respondents", "persons", "share").sort(["code", *keys], nulls_last=True)
