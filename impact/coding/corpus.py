"""A coded corpus: documents, codes, coders and codings as tidy tables.

``read_qdpx``, ``read_taguette`` and ``Corpus.from_study`` make one;
``write_qdpx``, ``agreement`` and the analysis functions use one.

Tables:

* ``documents``: document, text, and any metadata columns (date,
  interviewer, interviewee, actor_type, organisation_kind, district, consent).
* ``codes``: code (unique), parent, definition, when_to_use,
  when_not_to_use, example, origin, proposed_by, date_added, aliases,
  codable (False for folder codes that only group other codes).
* ``coders``: coder, name.
* ``codings``: document, start, end, code, coder, text (one row per coding;
  ``end`` exclusive, offsets in code points).

``units(kind)`` cuts the documents into units for agreement and
co-occurrence: ``paragraph`` (blank-line separated, the default), ``turn``
(speaker turns) or ``document``. A units table has the columns document,
unit_id (1-based within the document), start, end, text, kind; other
sources (say, open questionnaire answers) can bring their own.

Example:
    >>> import polars as pl
    >>> c = Corpus.from_tables(pl.DataFrame({"document": ["I01"], "text": ["A: Ja.\\n\\nB: Nee."]}),
    ...                        pl.DataFrame({"document": ["I01"], "start": [0], "end": [6],
    ...                                      "code": ["instemming"], "coder": ["BB03"]}))
    >>> c.units().select("unit_id", "start", "end", "text").rows()
    [(1, 0, 6, 'A: Ja.'), (2, 8, 15, 'B: Nee.')]
    >>> c.codings["text"].to_list(), c.codes["code"].to_list()
    (['A: Ja.'], ['instemming'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from impact.errors import InputError, Problem, Text

UNIT_KINDS = ("paragraph", "turn", "document")
CODE_COLUMNS = ("code", "parent", "definition", "when_to_use", "when_not_to_use", "example", "origin",
                "proposed_by", "date_added", "aliases", "codable")


def _codes_schema():
    import polars as pl

    return {"code": pl.Utf8, "parent": pl.Utf8, "definition": pl.Utf8, "when_to_use": pl.Utf8,
            "when_not_to_use": pl.Utf8, "example": pl.Utf8, "origin": pl.Utf8, "proposed_by": pl.Utf8,
            "date_added": pl.Date, "aliases": pl.List(pl.Utf8), "codable": pl.Boolean}


def complete_codes(codes):
    """Add missing codebook columns (empty; codable = True) and order them."""
    import polars as pl

    schema = _codes_schema()
    extra = [pl.lit(True if name == "codable" else None, dtype=dtype).alias(name)
             for name, dtype in schema.items() if name not in codes.columns]
    codes = codes.with_columns(extra) if extra else codes
    return codes.select([pl.col(n).cast(schema[n]) for n in schema])


@dataclass
class Corpus:
    """Documents, codes, coders and codings (see the module docs for the columns)."""

    documents: object
    codes: object
    coders: object
    codings: object
    name: str = "impact"
    problems: list[Problem] = field(default_factory=list)
    _units: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_tables(cls, documents, codings, codes=None, coders=None, name: str = "impact") -> "Corpus":
        """A corpus from plain tables; missing codes/coders are taken from the codings.

        ``codings`` needs document, start, end, code, coder; ``text`` is
        (re)filled from the documents. A coding outside its document's
        text raises ``InputError``.
        """
        import polars as pl

        codings = codings.with_columns(pl.col("start").cast(pl.Int64), pl.col("end").cast(pl.Int64))
        texts = documents.select("document", pl.col("text").alias("_doc_text"))
        joined = codings.drop("text", strict=False).join(texts, on="document", how="left")
        bad = joined.filter(pl.col("_doc_text").is_null() | (pl.col("start") < 0)
                            | (pl.col("end") > pl.col("_doc_text").str.len_chars()) | (pl.col("start") >= pl.col("end")))
        if bad.height:
            problems = [Problem(name, None, "start", f"{r['document']} {r['start']}-{r['end']}", Text(
                "een codering binnen de tekst van een bekend document",
                "a coding within the text of a known document")) for r in bad.head(20).iter_rows(named=True)]
            raise InputError(Text(f"{bad.height} codering(en) vallen buiten hun document.",
                                  f"{bad.height} coding(s) fall outside their document."), problems)
        codings = (joined.with_columns(pl.col("_doc_text").str.slice(pl.col("start"), pl.col("end") - pl.col("start"))
                                       .alias("text"))
                   .select("document", "start", "end", "code", "coder", "text"))
        if codes is None:
            codes = pl.DataFrame({"code": sorted(set(codings["code"].to_list()))}, schema={"code": pl.Utf8})
        codes = complete_codes(codes)
        used = set(codings["code"].to_list()) - set(codes["code"].to_list())
        if used:
            codes = pl.concat([codes, complete_codes(pl.DataFrame({"code": sorted(used)}))])
        if coders is None:
            coders = pl.DataFrame({"coder": sorted(set(codings["coder"].to_list()))}, schema={"coder": pl.Utf8})
        if "name" not in coders.columns:
            coders = coders.with_columns(pl.col("coder").alias("name"))
        missing = set(codings["coder"].to_list()) - set(coders["coder"].to_list())
        if missing:
            coders = pl.concat([coders.select("coder", "name"),
                                pl.DataFrame({"coder": sorted(missing), "name": sorted(missing)})])
        return cls(documents=documents, codes=codes, coders=coders.select("coder", "name"), codings=codings,
                   name=name)

    @classmethod
    def from_study(cls, study) -> "Corpus":
        """The processed ``transcripts``, ``codebook`` and ``codings`` tables of ``study``."""
        import polars as pl

        transcripts = study.table("transcripts")
        codebook = study.table("codebook")
        codings = study.table("codings")
        return cls(documents=transcripts, codes=complete_codes(codebook),
                   coders=pl.DataFrame({"coder": sorted(set(codings["coder"].to_list()))},
                                       schema={"coder": pl.Utf8}).with_columns(pl.col("coder").alias("name")),
                   codings=codings.select("document", "start", "end", "code", "coder", "text"),
                   name=study.config.name)

    def units(self, kind: str = "paragraph"):
        """The documents cut into units (cached per kind); see the module docs."""
        if kind not in UNIT_KINDS:
            raise InputError(Text(f"Onbekende eenheid '{kind}'; kies {', '.join(UNIT_KINDS)}.",
                                  f"Unknown unit '{kind}'; choose {', '.join(UNIT_KINDS)}."))
        if kind not in self._units:
            self._units[kind] = make_units(self.documents, kind)
        return self._units[kind]


def make_units(documents, kind: str = "paragraph"):
    """Units of every document: document, unit_id, start, end, text, kind."""
    import numpy as np
    import polars as pl

    from impact.coding.transcripts import _PARA_SPLIT, text_units

    docs = documents["document"].to_list()
    texts = documents["text"].to_list()
    # paragraphs and the blank lines between them alternate in split(); their lengths
    # give every offset without a Python object per unit
    split = re.compile(f"({_PARA_SPLIT.pattern})")
    names, starts, ends = [], [], []
    for doc, text in zip(docs, texts):
        text = text or ""
        if kind == "document":
            s = np.array([0] if text else [], dtype=np.int64)
            e = np.array([len(text)] if text else [], dtype=np.int64)
        elif kind == "turn":
            turns = text_units(text, "turn")
            s = np.array([u["start"] for u in turns], dtype=np.int64)
            e = np.array([u["end"] for u in turns], dtype=np.int64)
        else:
            lengths = np.fromiter(map(len, split.split(text)), dtype=np.int64)
            after = np.cumsum(lengths)
            s, e = (after - lengths)[0::2], after[0::2]
            keep = e > s
            s, e = s[keep], e[keep]
        names.append(np.full(len(s), len(names), dtype=np.int64))
        starts.append(s)
        ends.append(e)
    empty = np.zeros(0, dtype=np.int64)
    doc_index = np.concatenate(names) if names else empty
    units = pl.DataFrame({"_doc": doc_index, "start": np.concatenate(starts) if starts else empty,
                          "end": np.concatenate(ends) if ends else empty})
    lookup = pl.DataFrame({"_doc": np.arange(len(docs), dtype=np.int64), "document": docs,
                           "_text": texts}, schema={"_doc": pl.Int64, "document": pl.Utf8, "_text": pl.Utf8})
    return (units.join(lookup, on="_doc", how="left")
            .with_columns((pl.int_range(pl.len()).over("_doc") + 1).cast(pl.Int64).alias("unit_id"),
                          pl.col("_text").str.slice(pl.col("start"), pl.col("end") - pl.col("start")).alias("text"),
                          pl.lit(kind).alias("kind"))
            .select("document", "unit_id", "start", "end", "text", "kind"))
