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
* ``memos`` (optional): the memos table of ``impact.coding.memos``.

``units(kind)`` cuts the documents into units for agreement and
co-occurrence: ``paragraph`` (blank-line separated, the default), ``turn``
(speaker turns) or ``document``. A units table has the columns document,
unit_id (1-based within the document), start, end, text, kind; other
sources (say, open questionnaire answers) can bring their own. Processed
tables carry the paragraphs worked out in ``impact process`` (documents:
``paragraphs``; codings: ``paragraph``, ``paragraph_last``, see
``impact.coding.units``); agreement then needs no cutting, with the same
result.

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

from dataclasses import dataclass, field

from impact.errors import InputError, Problem, Text

UNIT_KINDS = ("paragraph", "turn", "document")
CODE_COLUMNS = ("code", "parent", "definition", "when_to_use", "when_not_to_use", "example", "origin",
                "proposed_by", "date_added", "aliases", "tags", "codable")


def _codes_schema():
    import polars as pl

    return {"code": pl.Utf8, "parent": pl.Utf8, "definition": pl.Utf8, "when_to_use": pl.Utf8,
            "when_not_to_use": pl.Utf8, "example": pl.Utf8, "origin": pl.Utf8, "proposed_by": pl.Utf8,
            "date_added": pl.Date, "aliases": pl.List(pl.Utf8), "tags": pl.List(pl.Utf8), "codable": pl.Boolean}


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
    memos: object = None  # a memos table (impact.coding.memos), or None
    source: dict = field(default_factory=dict)  # what a reader learnt of the file: origin, position rule, users
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
        # each document's length worked out once, not once per coding (a long interview has many)
        lengths = documents.select("document", pl.col("text").str.len_chars().alias("_doc_length"))
        checked = codings.select("document", "start", "end").join(lengths, on="document", how="left")
        bad = checked.filter(pl.col("_doc_length").is_null() | (pl.col("start") < 0)
                             | (pl.col("end") > pl.col("_doc_length")) | (pl.col("start") >= pl.col("end")))
        if bad.height:
            problems = [Problem(name, None, "start", f"{r['document']} {r['start']}-{r['end']}",
                                Text("een codering binnen de tekst van een bekend document"))
                        for r in bad.head(20).iter_rows(named=True)]
            raise InputError(Text("{height} codering(en) vallen buiten hun document.", height=bad.height), problems)
        from impact.coding.units import span_texts

        codings = (codings.with_columns(span_texts(documents, codings).alias("text"))
                   .select("document", "start", "end", "code", "coder", "text", *_unit_columns(documents, codings)))
        if codes is None:
            codes = pl.DataFrame({"code": codings["code"].unique().sort()}, schema={"code": pl.Utf8})
        codes = complete_codes(codes)
        used = set(codings["code"].unique().to_list()) - set(codes["code"].to_list())
        if used:
            codes = pl.concat([codes, complete_codes(pl.DataFrame({"code": sorted(used)}))])
        coder_ids = codings["coder"].unique()
        if coders is None:
            coders = pl.DataFrame({"coder": coder_ids.sort()}, schema={"coder": pl.Utf8})
        if "name" not in coders.columns:
            coders = coders.with_columns(pl.col("coder").alias("name"))
        missing = set(coder_ids.to_list()) - set(coders["coder"].to_list())
        if missing:
            coders = pl.concat([coders.select("coder", "name"),
                                pl.DataFrame({"coder": sorted(missing), "name": sorted(missing)})])
        return cls(documents=documents, codes=codes, coders=coders.select("coder", "name"), codings=codings,
                   name=name)

    @classmethod
    def of(cls, tables) -> "Corpus":
        """The corpus of a notebook's tables (``impact.data.Tables``: transcripts, codings, codebook, filtered by
        district and period), made once per set of tables: a page and its figures share it."""
        return tables.once("corpus", lambda: cls.from_tables(tables.transcripts, tables.codings, tables.codebook))

    @classmethod
    def from_study(cls, study) -> "Corpus":
        """The processed ``transcripts``, ``codebook`` and ``codings`` tables of ``study``."""
        import polars as pl

        transcripts = study.table("transcripts")
        codebook = study.table("codebook")
        codings = study.table("codings")
        processed = getattr(study, "processed", None)
        memos = study.table("memos") if processed is not None and (processed / "memos.parquet").is_file() else None
        return cls(documents=transcripts, codes=complete_codes(codebook), memos=memos,
                   coders=pl.DataFrame({"coder": sorted(set(codings["coder"].to_list()))},
                                       schema={"coder": pl.Utf8}).with_columns(pl.col("coder").alias("name")),
                   codings=codings.select("document", "start", "end", "code", "coder", "text",
                                          *_unit_columns(transcripts, codings)),
                   name=study.config.name)

    def units(self, kind: str = "paragraph"):
        """The documents cut into units (cached per kind); see the module docs."""
        if kind not in UNIT_KINDS:
            raise InputError(Text("Onbekende eenheid '{kind}'; kies {unit_kinds}.",
                                  kind=kind, unit_kinds=', '.join(UNIT_KINDS)))
        cache = self.cache()
        if kind not in cache:
            cache[kind] = _table_of_units(self.documents, kind, *self.unit_bounds(kind))
        return cache[kind]

    def unit_bounds(self, kind: str = "paragraph"):
        """Per unit of ``units(kind)``: the row of its document, start and end (numpy; cached).

        Cheaper than ``units(kind)``: no text column. Agreement needs only these.
        """
        if kind not in UNIT_KINDS:
            return self.units(kind)  # the error for an unknown kind
        cache = self.cache()
        if ("bounds", kind) not in cache:
            cache[("bounds", kind)] = _unit_bounds(self.documents, kind)
        return cache[("bounds", kind)]

    def cache(self) -> dict:
        """Derived data (units, presence) of these very tables; emptied when a table is replaced."""
        documents, codings = self._units.get("_tables", (None, None))
        if documents is not self.documents or codings is not self.codings:
            self._units.clear()
            self._units["_tables"] = (self.documents, self.codings)
        return self._units


def _unit_columns(documents, codings) -> list:
    """The precomputed paragraph columns of ``codings`` (see ``impact.coding.units``), when both tables have them."""
    import polars as pl

    from impact.coding.units import FIRST, LAST, has_unit_columns

    return [pl.col(FIRST).cast(pl.Int64), pl.col(LAST).cast(pl.Int64)] if has_unit_columns(documents, codings) else []


def make_units(documents, kind: str = "paragraph"):
    """Units of every document: document, unit_id, start, end, text, kind."""
    return _table_of_units(documents, kind, *_unit_bounds(documents, kind))


def _unit_bounds(documents, kind: str):
    """Document row, start and end of every unit, grouped by document, in order (numpy)."""
    import numpy as np

    from impact.coding.transcripts import text_units
    from impact.coding.units import paragraph_bounds

    texts = [t or "" for t in documents["text"].to_list()]
    if kind == "paragraph":
        return paragraph_bounds(texts)
    rows, starts, ends = [], [], []
    for i, text in enumerate(texts):
        if kind == "document":
            bounds = [(0, len(text))] if text else []
        else:
            bounds = [(u["start"], u["end"]) for u in text_units(text, "turn")]
        rows.extend([i] * len(bounds))
        starts.extend(b[0] for b in bounds)
        ends.extend(b[1] for b in bounds)
    return tuple(np.asarray(x, dtype=np.int64) for x in (rows, starts, ends))


def _table_of_units(documents, kind: str, doc, starts, ends):
    """The units table (document, unit_id, start, end, text, kind) of these bounds."""
    import numpy as np
    import polars as pl

    # units come grouped by document, in order: unit_id is the position within the group
    unit_id = np.arange(len(doc), dtype=np.int64) - np.searchsorted(doc, doc, side="left") + 1
    rows = pl.Series(doc)
    doc_text = documents["text"].cast(pl.Utf8).gather(rows)
    return pl.DataFrame({"document": documents["document"].cast(pl.Utf8).gather(rows), "unit_id": unit_id,
                         "start": starts, "end": ends,
                         "text": doc_text.str.slice(pl.Series(starts), pl.Series(ends - starts)),
                         "kind": pl.Series([kind], dtype=pl.Utf8).gather(np.zeros(len(doc), dtype=np.int64))},
                        schema={"document": pl.Utf8, "unit_id": pl.Int64, "start": pl.Int64, "end": pl.Int64,
                                "text": pl.Utf8, "kind": pl.Utf8})
