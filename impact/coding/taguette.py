"""Taguette exports: highlights (``id, document, tag, content``) and the codebook.

Taguette exports highlights without positions, so each highlight is found
in its document's text (the study's transcripts, passed as ``documents``):
the first place where the highlighted words occur, spaces compared
loosely. A highlight that cannot be found is a problem (not a guess).
Without ``documents`` each document is rebuilt from its highlights, one
paragraph each, which is enough for counts and quotes but not for
agreement with other coders.

Tag names become code names: lower case, spaces as ``_``.

Example:
    >>> import tempfile, pathlib, polars as pl
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "highlights.csv"
    >>> _ = p.write_text("id,document,tag,content\\n1,I01,Eigen kracht,wil werken\\n", encoding="utf-8")
    >>> docs = pl.DataFrame({"document": ["I01"], "text": ["Ik wil werken."]})
    >>> read_taguette(p, documents=docs, coder="BB03").codings.select("start", "end", "code", "coder").rows()
    [(3, 13, 'eigen_kracht', 'BB03')]
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from impact.errors import InputError, Problem, Text


def tag_to_code(tag: str) -> str:
    """A Taguette tag as a code name: lower case, no spaces or markup characters."""
    return re.sub(r"[\s\[\]{}#+]+", "_", str(tag).strip().lower()).strip("_")


def _plain(content: str) -> str:
    """Highlight content as plain text (exports may hold HTML)."""
    text = re.sub(r"<br\s*/?>|</p>", "\n", content or "", flags=re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def _find(text: str, needle: str) -> tuple[int, int] | None:
    if not needle:
        return None
    at = text.find(needle)
    if at >= 0:
        return at, at + len(needle)
    # loose: any run of whitespace matches any run of whitespace
    pattern = r"\s+".join(re.escape(w) for w in needle.split())
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else None


def read_taguette(highlights: Path | str, codebook: Path | str | None = None, documents=None,
                  coder: str = "taguette", strict: bool = True):
    """Read a Taguette highlights export (CSV/XLSX) and optionally its codebook into a ``Corpus``.

    ``documents``: a table with ``document`` and ``text`` (or a ``Corpus``)
    to place the highlights in. ``coder``: who made the highlights (Taguette
    does not export it). With ``strict`` a highlight that cannot be placed
    raises ``InputError``; otherwise it is listed in ``corpus.problems``.
    """
    import polars as pl

    from impact import tabular as tb
    from impact.coding.corpus import Corpus

    highlights = Path(highlights)
    table = tb.read_table(highlights, required=["document", "tag", "content"], display=highlights.name)
    problems: list[Problem] = list(table.problems)
    if documents is not None and hasattr(documents, "documents"):
        documents = documents.documents
    texts: dict[str, str] = {}
    if documents is not None:
        texts = dict(zip(documents["document"].to_list(), documents["text"].to_list()))
    by_stem = {Path(d).stem.lower(): d for d in texts}
    rebuilt: dict[str, list[str]] = {}
    rows = []
    for rec, number in zip(table.rows, table.row_numbers):
        content = _plain(rec["content"])
        code = tag_to_code(rec["tag"])
        if not code or not content:
            problems.append(Problem(highlights.name, number, "tag" if not code else "content", rec.get("tag"),
                                    Text("een tag en gemarkeerde tekst", "a tag and highlighted text"), record=dict(rec)))
            continue
        doc = rec["document"]
        if texts:
            doc = doc if doc in texts else by_stem.get(Path(doc).stem.lower())
            if doc is None:
                problems.append(Problem(highlights.name, number, "document", rec["document"], Text(
                    "een document dat in de studie bestaat", "a document that exists in the study"), record=dict(rec)))
                continue
            span = _find(texts[doc], content)
            if span is None:
                problems.append(Problem(highlights.name, number, "content", content[:40], Text(
                    f"tekst die letterlijk in {doc} staat", f"text that occurs literally in {doc}"), record=dict(rec)))
                continue
        else:
            parts = rebuilt.setdefault(doc, [])
            joined = "\n\n".join(parts)
            span = _find(joined, content)
            if span is None:
                start = len(joined) + (2 if parts else 0)
                parts.append(content)
                span = (start, start + len(content))
        rows.append({"document": doc, "start": span[0], "end": span[1], "code": code, "coder": coder})
    if not texts:
        texts = {d: "\n\n".join(parts) for d, parts in rebuilt.items()}
    errors = [p for p in problems if p.severity == "error"]
    if strict and errors:
        raise InputError(Text(f"{highlights.name}: {len(errors)} markering(en) konden niet worden geplaatst.",
                              f"{highlights.name}: {len(errors)} highlight(s) could not be placed."), errors)
    codes = None
    if codebook is not None:
        book = tb.read_table(Path(codebook), required=["tag"], display=Path(codebook).name)
        entries = {}
        for rec in book.rows:
            name = tag_to_code(rec["tag"])
            if name:
                entries[name] = rec.get("description") or None
        codes = pl.DataFrame({"code": list(entries), "definition": list(entries.values())},
                             schema={"code": pl.Utf8, "definition": pl.Utf8})
    docs = pl.DataFrame({"document": list(texts), "text": list(texts.values())}, schema={"document": pl.Utf8, "text": pl.Utf8})
    cod = pl.DataFrame(rows, schema={"document": pl.Utf8, "start": pl.Int64, "end": pl.Int64, "code": pl.Utf8,
                                     "coder": pl.Utf8}).unique(maintain_order=True)
    corpus = Corpus.from_tables(docs, cod, codes=codes, name=highlights.stem)
    corpus.problems = problems
    return corpus
