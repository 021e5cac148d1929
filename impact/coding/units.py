"""Paragraph units worked out once, in ``impact process``, and kept in the processed tables.

Agreement and co-occurrence count codings per paragraph. Cutting a large
study's texts into paragraphs and finding the paragraphs each coding touches
takes longer than the statistic itself, so ``impact process`` does it once
and writes the result beside the texts:

* ``transcripts.paragraphs``: how many paragraph units the (redacted) text has;
* ``codings.paragraph`` and ``codings.paragraph_last``: the first and the last
  paragraph (``unit_id``, 1-based within the document) the coding touches;
  both null when it touches none (say, a coding of only a blank line).

A ``Corpus`` whose documents and codings carry these columns uses them for
``unit="paragraph"`` instead of cutting; without them (qdpx import, markup,
hand-made tables) it cuts, with the same result. The columns describe these
very texts and offsets: drop them when you change either.

Example:
    >>> import polars as pl
    >>> t, c = add_unit_columns(pl.DataFrame({"document": ["I1"], "text": ["a\\n\\nb\\n\\nc"]}),
    ...                         pl.DataFrame({"document": ["I1", "I1"], "start": [0, 3], "end": [1, 7]}))
    >>> t["paragraphs"].to_list(), c.select("paragraph", "paragraph_last").rows()
    ([3], [(1, 1), (2, 3)])
"""

from __future__ import annotations

COUNT = "paragraphs"         # transcripts: paragraph units in the text
FIRST = "paragraph"          # codings: first paragraph touched (unit_id, 1-based)
LAST = "paragraph_last"      # codings: last paragraph touched
SHIFT = 1 << 40              # documents laid end to end at multiples of this offset


def span_texts(documents, codings):
    """The words of each coding: its ``start``..``end`` (characters) of its document's ``text``, in one
    slice for all codings. Every coding's document must be in ``documents`` (document, text).

    Example:
        >>> import polars as pl
        >>> span_texts(pl.DataFrame({"document": ["I1", "I2"], "text": ["Ik wil werken", "Fijn"]}),
        ...            pl.DataFrame({"document": ["I2", "I1"], "start": [0, 3], "end": [4, 6]})).to_list()
        ['Fijn', 'wil']
    """
    import polars as pl

    if codings.height == 0:
        return pl.Series("text", [], dtype=pl.Utf8)
    at = {doc: i for i, doc in enumerate(documents["document"].to_list())}
    whole = documents["text"].cast(pl.Utf8).gather(codings["document"].replace_strict(at, return_dtype=pl.UInt32))
    return (pl.DataFrame({"text": whole, "start": codings["start"], "end": codings["end"]})
            .select(pl.col("text").str.slice(pl.col("start"), pl.col("end") - pl.col("start"))).to_series())


def unit_span(unit_starts, unit_ends, starts, ends):
    """First and last unit (indices into the units) touched by each span; last < first when none.

    Units and spans use positions laid end to end (document row times
    ``SHIFT`` plus offset); units sorted by position. A span touches a unit
    when they overlap: the first unit ending after the span starts up to
    the last unit starting before the span ends.
    """
    import numpy as np

    first = np.searchsorted(unit_ends, starts, side="right")
    last = np.searchsorted(unit_starts, ends, side="left") - 1
    return first, last


def paragraph_bounds(texts: list[str]):
    """Document index, start and end of every paragraph of ``texts``, without a Python object per unit.

    The same cuts as the paragraphs of ``transcripts.text_units`` (a
    newline, then lines of only spaces or tabs, up to the last newline of
    that blank run): a blank run with two or more newlines breaks the
    paragraph from its first to after its last newline. Offsets are in code
    points (one uint32 per character).
    """
    import numpy as np

    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    offset = np.cumsum(lengths + 1) - (lengths + 1)  # a "\x00" between texts: no blank run spans two texts
    joined = "\x00".join(texts)
    chars = (np.frombuffer(joined.encode("ascii"), dtype=np.uint8) if joined.isascii()
             else np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32))
    newline = np.flatnonzero(chars == 10)
    if len(newline) > 1:
        after = chars[newline[:-1] + 1]
        linked = after == 10  # the next newline follows at once: same blank run
        indented = np.flatnonzero((after == 32) | (after == 9))
        if len(indented):  # spaces or tabs after a newline: same run only if nothing else comes before the next
            other = (chars != 32) & (chars != 9) & (chars != 10)
            linked[indented] = ~np.logical_or.reduceat(other, newline)[:-1][indented]
        first = np.flatnonzero(np.concatenate([[True], ~linked]))
        last = np.concatenate([first[1:] - 1, [len(newline) - 1]])
        breaks = last > first
        break_start, break_end = newline[first[breaks]], newline[last[breaks]] + 1
    else:
        break_start = break_end = np.zeros(0, dtype=np.int64)
    starts = np.sort(np.concatenate([offset, break_end]), kind="stable")  # two sorted runs: a merge
    ends = np.sort(np.concatenate([break_start, offset + lengths]), kind="stable")
    keep = ends > starts
    starts, ends = starts[keep], ends[keep]
    doc = np.searchsorted(offset, starts, side="right") - 1
    return doc, starts - offset[doc], ends - offset[doc]


def has_unit_columns(documents, codings) -> bool:
    """Whether both tables carry the precomputed paragraph columns."""
    return COUNT in documents.columns and FIRST in codings.columns and LAST in codings.columns


def add_unit_columns(transcripts, codings):
    """``transcripts`` with ``paragraphs`` and ``codings`` with ``paragraph``, ``paragraph_last``.

    The paragraphs are cut exactly as ``Corpus.units("paragraph")`` cuts
    them, and a coding touches the paragraphs ``agreement`` would count it
    in. Codings of a document not in ``transcripts`` get nulls (they count
    nowhere). ``codings`` may be None. Existing columns of those names are
    replaced. Pure: returns new tables.
    """
    import numpy as np
    import polars as pl

    texts = [t or "" for t in transcripts["text"].to_list()]
    doc, unit_starts, unit_ends = paragraph_bounds(texts)
    counts = np.bincount(doc, minlength=len(texts)).astype(np.int64)
    transcripts = transcripts.with_columns(pl.Series(COUNT, counts, dtype=pl.Int64))
    if codings is None:
        return transcripts, None
    names = transcripts["document"].cast(pl.Utf8)
    # a document name that occurs twice: its first row (names are unique in a processed study)
    rows = pl.DataFrame({"document": names, "_row": np.arange(len(names), dtype=np.int64)}).unique(
        "document", keep="first", maintain_order=True).drop_nulls("document")
    c = (codings.select(pl.col("document").cast(pl.Utf8), pl.col("start").cast(pl.Int64),
                        pl.col("end").cast(pl.Int64))
         .join(rows, on="document", how="left", maintain_order="left"))
    row = c["_row"].fill_null(-1).to_numpy()
    known = (row >= 0) & c["start"].is_not_null().to_numpy() & c["end"].is_not_null().to_numpy()
    r = row[known]
    first, last = unit_span(doc * SHIFT + unit_starts, doc * SHIFT + unit_ends,
                            r * SHIFT + c["start"].to_numpy()[known], r * SHIFT + c["end"].to_numpy()[known])
    touches = last >= first
    doc_first = np.cumsum(counts) - counts  # index of each document's first unit
    first_id = np.full(len(row), -1, dtype=np.int64)
    last_id = np.full(len(row), -1, dtype=np.int64)
    idx = np.flatnonzero(known)[touches]
    first_id[idx] = first[touches] - doc_first[r[touches]] + 1
    last_id[idx] = last[touches] - doc_first[r[touches]] + 1
    first_s, last_s = pl.Series(FIRST, first_id), pl.Series(LAST, last_id)
    return transcripts, codings.with_columns(pl.when(first_s > 0).then(first_s).alias(FIRST),
                                             pl.when(last_s > 0).then(last_s).alias(LAST))
