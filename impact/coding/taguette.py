"""Taguette exports: highlights (``id, document, tag, content``), the project (``.sqlite3``) and the codebook.

Taguette's highlights export (CSV/XLSX) has no positions, so each highlight
is found in its document's text (the study's transcripts, passed as
``documents``), spaces compared loosely. A highlight that cannot be found
is a problem (not a guess); a highlight whose text occurs more than once is
a problem too, listing every place, until you choose one with
``occurrences`` (highlight id -> which occurrence, 1-based; the CLI's
``--occurrence 12=2``) or read the project export instead. Without
``documents`` each document is rebuilt from its highlights, one paragraph
each, which is enough for counts and quotes but not for agreement with
other coders.

Taguette's project export (``.sqlite3``, ``read_taguette_sqlite``) holds the
documents (HTML), each highlight's real ``start_offset``/``end_offset``
(UTF-8 bytes of the document's text, tags not counted) and, in its command
log, the user who made it; no searching is needed. (Taguette's export names
every user ``admin``: map it with ``--coder``.)

The codebook may be Taguette's REFI-QDA codebook (``.qdc``) or its CSV/XLSX
export (``tag``, ``description``, ``parent``). Tag names become code names:
lower case, spaces as ``_``.

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

from impact.coding.codebook import tag_to_code
from impact.errors import InputError, Problem, Text
from impact.text import joined


def _plain(content: str) -> str:
    """Highlight content as plain text (exports may hold HTML)."""
    text = re.sub(r"<br\s*/?>|</p>", "\n", content or "", flags=re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def _find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Every place of ``needle`` in ``text`` (exact first; else any run of whitespace matches any run)."""
    if not needle:
        return []
    found, at = [], text.find(needle)
    while at >= 0:
        found.append((at, at + len(needle)))
        at = text.find(needle, at + 1)
    if found:
        return found
    pattern = r"\s+".join(re.escape(w) for w in needle.split())
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def _find(text: str, needle: str) -> tuple[int, int] | None:
    found = _find_all(text, needle)
    return found[0] if found else None


def parse_occurrences(pairs: list[str] | None) -> dict[str, int]:
    """``["12=2"]`` (highlight id = which occurrence, 1-based) -> ``{"12": 2}``; ``InputError`` otherwise."""
    out = {}
    for pair in pairs or []:
        hid, sep, n = str(pair).partition("=")
        if not sep or not hid.strip() or not n.strip().isdigit() or int(n) < 1:
            raise InputError(Text("--occurrence {pair}: schrijf MARKERING=KEER, bijvoorbeeld --occurrence "
                                  "12=2.",
                                  pair=pair))
        out[hid.strip()] = int(n)
    return out


def _places(text: str, spans: list[tuple[int, int]]):
    """Where ``spans`` are in ``text``, as a value for a ``Text`` field (shown in the message's language)."""
    return joined([Text("{k}: teken {start}-{end} (regel {line})", k=k, start=s, end=e, line=text.count("\n", 0, s) + 1)
                   for k, (s, e) in enumerate(spans, start=1)], separator="; ")


def read_taguette(highlights: Path | str, codebook: Path | str | None = None, documents=None,
                  coder: str = "taguette", strict: bool = True, occurrences: dict[str, int] | None = None):
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
                                    Text("een tag en gemarkeerde tekst"), record=dict(rec)))
            continue
        doc = rec["document"]
        if texts:
            doc = doc if doc in texts else by_stem.get(Path(doc).stem.lower())
            if doc is None:
                problems.append(Problem(highlights.name, number, "document", rec["document"], Text("een "
                                                                                                   "document "
                                                                                                   "dat in "
                                                                                                   "de "
                                                                                                   "studie "
                                                                                                   "bestaat"), record=dict(rec)))
                continue
            spans = _find_all(texts[doc], content)
            hid = str(rec.get("id") or number).strip()
            if not spans:
                problems.append(Problem(highlights.name, number, "content", content[:40], Text("tekst die "
                                                                                               "letterlijk "
                                                                                               "in {doc} "
                                                                                               "staat",
                                                                                               doc=doc), record=dict(rec)))
                continue
            chosen = (occurrences or {}).get(hid)
            if len(spans) > 1 and chosen is None or (chosen is not None and chosen > len(spans)):
                text = texts[doc]
                problems.append(Problem(highlights.name, number, "content", content[:40], Text("tekst die "
                                                                                               "één keer in "
                                                                                               "{doc} staat; "
                                                                                               "ze staat er "
                                                                                               "{n_spans} "
                                                                                               "keer: "
                                                                                               "{places}. "
                                                                                               "Kies de plek "
                                                                                               "met "
                                                                                               "--occurrence "
                                                                                               "{hid}=1 (of "
                                                                                               "={n_spans}), "
                                                                                               "of lees de "
                                                                                               "projectexport "
                                                                                               "van Taguette "
                                                                                               "in "
                                                                                               "(.sqlite3): "
                                                                                               "die weet de "
                                                                                               "plek",
                                                                                               doc=doc, n_spans=len(spans), places=_places(text, spans), hid=hid), record=dict(rec)))
                continue
            span = spans[(chosen or 1) - 1]
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
        raise InputError(Text("{name}: {n_errors} markering(en) konden niet worden geplaatst.",
                              name=highlights.name, n_errors=len(errors)), errors)
    codes = read_codebook(codebook) if codebook is not None else None
    docs = pl.DataFrame({"document": list(texts), "text": list(texts.values())}, schema={"document": pl.Utf8, "text": pl.Utf8})
    cod = pl.DataFrame(rows, schema={"document": pl.Utf8, "start": pl.Int64, "end": pl.Int64, "code": pl.Utf8,
                                     "coder": pl.Utf8}).unique(maintain_order=True)
    corpus = Corpus.from_tables(docs, cod, codes=codes, name=highlights.stem)
    corpus.problems = problems
    corpus.source = {"tool": "Taguette", "tool_name": "taguette", "positions_words": Text("Taguette's "
                                                                                          "markeringen "
                                                                                          "zonder posities: "
                                                                                          "opgezocht in de "
                                                                                          "transcripten")}
    return corpus


def read_codebook(path: Path | str):
    """Taguette's codebook export as a codes table (code, parent, definition): ``.qdc`` (REFI-QDA) or CSV/XLSX."""
    import polars as pl

    from impact import tabular as tb

    path = Path(path)
    if path.suffix.lower() == ".qdc":
        from impact.coding.qdpx import read_qdpx

        book = read_qdpx(path).codes
        names = {c: tag_to_code(c) for c in book["code"].to_list()}
        return book.select(pl.col("code").replace(names), pl.col("parent").replace(names), "definition")
    book = tb.read_table(path, required=["tag"], display=path.name)
    entries = {}
    for rec in book.rows:
        name = tag_to_code(rec["tag"])
        if name:
            parent = tag_to_code(rec.get("parent") or "") or None
            entries[name] = (parent, rec.get("description") or None)
    return pl.DataFrame({"code": list(entries), "parent": [v[0] for v in entries.values()],
                         "definition": [v[1] for v in entries.values()]},
                        schema={"code": pl.Utf8, "parent": pl.Utf8, "definition": pl.Utf8})


# --- the project export (.sqlite3) -----------------------------------------------------------------

_BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "blockquote",
           "pre", "hr", "section", "article"}


def html_text(contents: str) -> tuple[str, dict[int, int], dict[int, int]]:
    """A Taguette document's HTML as plain text, and where Taguette's offsets fall in it.

    Taguette counts UTF-8 bytes of the text nodes (tags not counted). The
    text gets a blank line between blocks (paragraphs, list items), which
    Taguette does not count. Returns (text, starts, ends): a highlight
    starting at byte ``b`` starts at ``starts[b]`` in the text; one ending
    at byte ``b`` ends at ``ends[b]``.

    Example:
        >>> text, starts, ends = html_text("<p>Café</p><p>Ja</p>")
        >>> text, starts[5], ends[5], text[starts[0]:ends[5]]
        ('Café\\n\\nJa', 6, 4, 'Café')
    """
    from html.parser import HTMLParser

    out: list[str] = []
    chars: list[tuple[int, int]] = []  # (byte offset, text offset) of each character of a text node
    state = {"bytes": 0, "len": 0}

    def block():
        tail = "".join(out[-2:])
        need = 0 if not out or tail.endswith("\n\n") else (1 if tail.endswith("\n") else 2)
        if need:
            out.append("\n" * need)
            state["len"] += need

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in _BLOCKS:
                block()

        def handle_endtag(self, tag):
            if tag in _BLOCKS:
                block()

        def handle_data(self, data):
            for ch in data:
                chars.append((state["bytes"], state["len"]))
                state["bytes"] += len(ch.encode("utf-8"))
                state["len"] += 1
                out.append(ch)

    parser = Parser(convert_charrefs=True)
    parser.feed(contents or "")
    parser.close()
    text = "".join(out)
    lead = len(text) - len(text.lstrip("\n"))
    starts = {b: k - lead for b, k in chars}
    ends = {}
    for i, (b, k) in enumerate(chars):
        end_byte = chars[i + 1][0] if i + 1 < len(chars) else state["bytes"]
        ends[end_byte] = k + 1 - lead
    return text.strip("\n"), starts, ends


def _table_names(db) -> set[str]:
    return {r[0] for r in db.execute("select name from sqlite_master where type = 'table'")}


def read_taguette_sqlite(path: Path | str, codebook: Path | str | None = None, documents=None, strict: bool = True):
    """Read Taguette's project export (``.sqlite3``) into a ``Corpus``: documents, tags, highlights with their
    real offsets and the user who made each (from the command log; ``taguette`` when unknown)."""
    import json
    import sqlite3

    import polars as pl

    from impact.coding.corpus import Corpus

    path = Path(path)
    shown = path.name
    if not path.is_file():
        raise InputError(Text("{shown}: dit bestand bestaat niet.", shown=shown))
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        tables = _table_names(db)
    except sqlite3.DatabaseError:
        tables = set()
    needed = {"documents", "highlights", "tags", "highlight_tags"}
    if not needed <= tables:
        raise InputError(Text("{shown}: dit is geen projectexport van Taguette (de tabellen {needed} "
                              "ontbreken).",
                              shown=shown, needed=', '.join(sorted(needed))),
            [Problem(shown, None, None, ", ".join(sorted(tables)) or None, Text("een .sqlite3 uit Taguette "
                                                                                "(Project > Exporteren > "
                                                                                "project)"))])
    with db:
        doc_rows = db.execute("select id, name, contents from documents order by id").fetchall()
        tag_cols = {r[1] for r in db.execute("pragma table_info(tags)")}
        tag_rows = db.execute("select id, path, description" + (", parent_id" if "parent_id" in tag_cols else
                                                                ", null") + " from tags order by id").fetchall()
        hl_rows = db.execute("select id, document_id, start_offset, end_offset from highlights order by id").fetchall()
        hl_tags = db.execute("select highlight_id, tag_id from highlight_tags").fetchall()
        made_by = {}
        if "commands" in tables:
            for login, payload in db.execute("select user_login, payload from commands order by id"):
                try:
                    data = json.loads(payload)
                except (TypeError, ValueError):
                    continue
                if isinstance(data, dict) and data.get("type") == "highlight_add" and "highlight_id" in data:
                    made_by[data["highlight_id"]] = login
    db.close()
    wanted = {}
    if documents is not None:
        docs_table = documents.documents if hasattr(documents, "documents") else documents
        wanted = {Path(d).stem.lower(): d for d in docs_table["document"].to_list()}
    texts, places, names = {}, {}, {}
    for doc_id, name, contents in doc_rows:
        text, starts, ends = html_text(contents)
        label = wanted.get(Path(str(name)).stem.lower(), str(name))
        names[doc_id] = label
        texts[label] = text
        places[doc_id] = (starts, ends)
    tag_name = {tid: tag_to_code(path_) for tid, path_, _d, _p in tag_rows}
    codes = pl.DataFrame({"code": [tag_name[r[0]] for r in tag_rows],
                          "parent": [tag_name.get(r[3]) for r in tag_rows],
                          "definition": [r[2] or None for r in tag_rows]},
                         schema={"code": pl.Utf8, "parent": pl.Utf8, "definition": pl.Utf8})
    if codebook is not None:
        extra = read_codebook(codebook)
        codes = pl.concat([codes, extra.filter(~pl.col("code").is_in(codes["code"].to_list()))])
    tags_of: dict[int, list[str]] = {}
    for hid, tid in hl_tags:
        if tid in tag_name:
            tags_of.setdefault(hid, []).append(tag_name[tid])
    rows, problems = [], []
    for hid, doc_id, start, end in hl_rows:
        if doc_id not in places:
            continue
        starts, ends = places[doc_id]
        s, e = starts.get(start), ends.get(end)
        doc = names[doc_id]
        if s is None or e is None or not s < e:
            problems.append(Problem(shown, None, "start_offset", f"{doc} {start}-{end} (highlight {hid})", Text("een "
                                                                                                                "markering "
                                                                                                                "binnen "
                                                                                                                "de "
                                                                                                                "tekst "
                                                                                                                "van "
                                                                                                                "het "
                                                                                                                "document")))
            continue
        for code in tags_of.get(hid, []):
            rows.append({"document": doc, "start": s, "end": e, "code": code,
                         "coder": made_by.get(hid) or "taguette"})
    errors = [p for p in problems if p.severity == "error"]
    if strict and errors:
        raise InputError(Text("{shown}: {n_errors} markering(en) kloppen niet.", shown=shown, n_errors=len(errors)), errors)
    docs = pl.DataFrame({"document": list(texts), "text": list(texts.values())},
                        schema={"document": pl.Utf8, "text": pl.Utf8})
    cod = pl.DataFrame(rows, schema={"document": pl.Utf8, "start": pl.Int64, "end": pl.Int64, "code": pl.Utf8,
                                     "coder": pl.Utf8}).unique(maintain_order=True)
    corpus = Corpus.from_tables(docs, cod, codes=codes, name=path.stem)
    corpus.problems = problems
    # Taguette's export gives every user the login "admin": it stands for whoever made the highlights
    corpus.source = {"tool": "Taguette", "tool_name": "taguette", "tool_users": ["admin", "taguette"],
                     "positions_words": Text("Taguette's eigen posities (UTF-8-bytes van de tekst)")}
    return corpus
