"""Where a coded document comes from: an interview transcript or an open questionnaire answer.

Both kinds are documents of one corpus, coded with one codebook. The
documents table says which is which in ``source_kind`` (``interview`` or
``answer``; a table without the column holds interviews only). An open
answer's document id says whose answer to which question it is:
``answer:<instrument>:<item>:w<wave>:<respondent>`` (see
``impact.coding.answers``).

Example:
    >>> answer_document("bewoners", "verandering_tekst", 1, "R0012")
    'answer:bewoners:verandering_tekst:w1:R0012'
    >>> split_document("answer:bewoners:verandering_tekst:w1:R0012")["person"], split_document("I01")
    ('R0012', None)
"""

from __future__ import annotations

import re

from impact.errors import InputError, Text

SOURCE_INTERVIEW = "interview"
SOURCE_ANSWER = "answer"

_DOC = re.compile(r"^answer:([^:]+):([^:]+):w(\d+):(.+)$")


def answer_document(instrument: str, item: str, wave: int, person: str) -> str:
    """The document id of one open answer."""
    return f"answer:{instrument}:{item}:w{int(wave)}:{person}"


def split_document(document: str) -> dict | None:
    """``{"instrument", "item", "wave", "person"}`` of an answer document id; None for an interview."""
    m = _DOC.match(document or "")
    if not m:
        return None
    return {"instrument": m.group(1), "item": m.group(2), "wave": int(m.group(3)), "person": m.group(4)}


def source_kinds(documents):
    """A polars expression: the source kind of each row of ``documents`` (interview when not said)."""
    import polars as pl

    if "source_kind" in documents.columns:
        return pl.col("source_kind").fill_null(SOURCE_INTERVIEW)
    return pl.lit(SOURCE_INTERVIEW)


def only_source(corpus, source_kind: str | None):
    """The part of ``corpus`` of one source kind (``interview`` or ``answer``); all when None.

    Documents without a ``source_kind`` column count as interviews.
    """
    import polars as pl

    from impact.coding.corpus import Corpus

    if source_kind is None:
        return corpus
    if source_kind not in (SOURCE_INTERVIEW, SOURCE_ANSWER):
        raise InputError(Text("Onbekende soort bron '{source_kind}'; kies interview of answer.",
                              source_kind=source_kind))
    docs = corpus.documents.filter(source_kinds(corpus.documents) == source_kind)
    keep = docs["document"].to_list()
    memos = corpus.memos
    if memos is not None:
        about_document = pl.col("about_kind").is_in(["document", "coding"])
        # memos about a document go with it; the others (study, code, step) go with the interviews
        memos = memos.filter(pl.col("about").is_in(keep) if source_kind == SOURCE_ANSWER
                             else ~about_document | pl.col("about").is_in(keep))
    return Corpus(documents=docs, codes=corpus.codes, coders=corpus.coders,
                  codings=corpus.codings.filter(pl.col("document").is_in(keep)), name=corpus.name,
                  problems=list(corpus.problems), memos=memos, source=dict(corpus.source))
