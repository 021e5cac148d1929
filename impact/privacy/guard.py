"""The publish guard: nothing that identifies a person leaves the study.

``check_publish(paths)`` reads every output file (HTML, SVG, PDF text, CSV,
JSON, notebooks, plain text; folders are searched) and returns one
``Finding`` per piece of personal data, per name and contact detail from
the register (the same docdeid pipeline as the redactor, without deduce:
``impact.privacy.detect.build_pipeline``), and per unsuppressed small cell.
``impact build`` refuses to publish when there is any finding.

The guard never weakens silently: ``load_register(study)`` raises
``RegisterUnavailable`` (an ``ImpactError`` with a message for the user)
when there is no study, no register or a register it cannot read, and
``check_study(paths, study)`` checks with the study's register or raises.

Small cells are found through a convention the report writer follows
(docs/privacy.md):

* HTML and SVG: an element with ``data-count="persons"`` holds a count of
  persons (for example ``<td data-count="persons">12</td>``); its text must
  be 0, at least ``k``, empty, a dash, ``< k`` or ``x`` (older reports'
  ``data-count="headline"`` is checked the same way);
* CSV: a column whose name ends in ``_persons`` (or is ``persons``);
* JSON (also inside notebooks and ``<script type="application/json">``):
  a key ending in ``_persons`` (or ``persons``) with a number.

A finding's excerpt never repeats the personal data in full.

Example:
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.html"
    >>> _ = p.write_text('<p>Bel Fatima el Amrani: 06-12345678</p><td data-count="persons">3</td>')
    >>> for f in check_publish([p], names=["Fatima el Amrani"]):
    ...     print(f.location, f.kind, f.excerpt)
    line 1, column 8 name Fa•••• •• ••••••
    line 1, column 26 phone 06-••••••••
    line 1, column 41 small_cell 3 < k=5
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import unquote_to_bytes

from impact.errors import ImpactError, Text
from impact.privacy.detect import KIND_LABELS, PATTERNS, Hit, build_pipeline, hits_of, mask

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SVG_SUFFIXES = {".svg"}
TEXT_SUFFIXES = {".txt", ".md", ".tex", ".rst", ".log", ".xml", ".yaml", ".yml", ".toml", ".tsv"}
# pictures and fonts hold no text we can read; their source (SVG, data) is checked instead
SKIP_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".otf",
                 ".eot", ".parquet", ".zip", ".gz", ".map"}


@dataclass(frozen=True)
class Finding:
    """One thing in one output file that must not be published."""

    file: str
    location: str
    kind: str
    excerpt: str

    def render(self, lang: str = "nl") -> str:
        label = KIND_LABELS[self.kind](lang) if self.kind in KIND_LABELS else self.kind
        return f"{self.file}: {self.location}: {label} ({self.excerpt})"


# in scripts only what cannot be mistaken for code or numbers: e-mail and IBAN (and names)
_NOT_IN_SCRIPTS = frozenset(set(PATTERNS) - {"email", "iban"} | {"tags"})


_PIPELINES: dict[tuple, object] = {}  # the last few registers' pipelines: a build checks twice, --watch often


def _pipeline(names: Iterable[str], values: dict[str, Iterable[str]] | None, allow: Iterable[str]):
    key = (tuple(names), tuple(sorted((kind, tuple(v)) for kind, v in (values or {}).items())), tuple(allow))
    if key not in _PIPELINES:
        while len(_PIPELINES) >= 4:
            _PIPELINES.pop(next(iter(_PIPELINES)))
        _PIPELINES[key] = build_pipeline(names=key[0], values={kind: list(v) for kind, v in key[1]},
                                         keep=key[2])
    return _PIPELINES[key]


class _Checker:
    def __init__(self, names: Iterable[str], k: int, values: dict[str, Iterable[str]] | None,
                 allow: Iterable[str]):
        self.pipeline = _pipeline(names, values, allow)
        self.k = int(k)
        self._seen: dict[tuple[str, bool], list[Hit]] = {}  # pages repeat their labels and axis texts

    def text_hits(self, text: str, strict: bool = False) -> list[Hit]:
        """``strict``: only kinds that cannot be mistaken for code or numbers (for scripts)."""
        if not text:
            return []
        if (text, strict) not in self._seen:
            self._seen[text, strict] = hits_of(self.pipeline.deidentify(
                text, disabled=_NOT_IN_SCRIPTS if strict else {"tags"}))
        return self._seen[text, strict]

    def small(self, value: float) -> bool:
        return 0 < value < self.k


def _excerpt(value: str) -> str:
    return mask(re.sub(r"\s+", " ", value))


# ---- counts ----------------------------------------------------------------

_COUNT = re.compile(r"^\s*(\d{1,3}(?:[.,\u00a0 \u202f]\d{3})+|\d+)(?![.,]\d)")


def parse_count(text: str) -> int | None:
    """The count shown in a cell, or None when it is hidden or not a number.

    Example:
        >>> parse_count(" 1.234 "), parse_count("3"), parse_count("< 5"), parse_count("–")
        (1234, 3, None, None)
    """
    t = text.strip()
    if not t or t[0] in "<≤–—-*" or t.startswith("&lt;"):
        return None
    m = _COUNT.match(t)
    if not m:
        return None
    return int(re.sub(r"\D", "", m.group(1)))


def _persons_key(key: str) -> bool:
    k = str(key).strip().lower()
    return k == "persons" or k.endswith("_persons")


# ---- HTML and SVG ----------------------------------------------------------

# what marks a count of persons; "headline" is how older reports marked a small study-wide total that
# they showed on purpose: no longer allowed (a small total sits next to the districts' pages)
COUNT_MARKS = {"persons", "headline"}

_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q",
           "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "tspan", "wbr"}
_TEXT_ATTRS = {"alt", "title", "aria-label", "aria-description", "placeholder", "value", "content",
               "label", "summary", "abbr"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr"}


class _Markup(HTMLParser):
    """Collects text (with positions), attribute texts, scripts and count cells."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[tuple[str, tuple[int, int]]] = []  # text, (line, col) of its start
        self.attrs: list[tuple[str, tuple[int, int]]] = []
        self.scripts: list[tuple[str, str, tuple[int, int]]] = []  # type, body, pos
        self.embedded: list[tuple[bytes, tuple[int, int]]] = []  # data: SVGs
        self.counts: list[tuple[str, tuple[int, int], dict]] = []  # text, pos, the element's attributes
        self.meta: dict[str, str] = {}
        self.title_h1: list[str] | None = None
        self.h1 = ""
        self.tables: list[dict] = []  # {"caption", "header", "rows": [[(text, is_count)]], "pos"}
        self._table: dict | None = None
        self._row: list | None = None
        self._cell: tuple[list[str], bool] | None = None
        self._in_head = False
        self._in_caption = False
        self._stack: list[str] = []
        self._count_depth: list[tuple[int, list[str], tuple[int, int], dict]] = []
        self._script: tuple[str, list[str], tuple[int, int]] | None = None

    def handle_starttag(self, tag, attrs):
        pos = self.getpos()
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag in ("script", "style"):
            self._script = (a.get("type", "") if tag == "script" else "style", [], pos)
        for key, value in a.items():
            if key in _TEXT_ATTRS or (key.startswith("data-") and key != "data-count"):
                if value.strip():
                    self.attrs.append((value, pos))
            if key in ("src", "href", "xlink:href") and value.startswith("data:image/svg+xml"):
                self.embedded.append((_data_uri(value), pos))
        if tag not in _INLINE:
            self.chunks.append(("\n", pos))
        self._structure_start(tag, a, pos)
        if tag in _VOID:
            return
        self._stack.append(tag)
        if a.get("data-count", "").strip().lower() in COUNT_MARKS:
            self._count_depth.append((len(self._stack), [], pos, a))

    def _structure_start(self, tag: str, a: dict, pos) -> None:
        """What the page-level checks need: the page's scope, its title, and its tables cell by cell."""
        if tag == "meta" and a.get("name", "").startswith("impact:"):
            self.meta[a["name"][7:]] = a.get("content", "")
        elif tag == "html" and a.get("lang"):
            self.meta.setdefault("lang", a["lang"])
        elif tag == "h1" and not self.h1:
            self.title_h1 = []
        elif tag == "table":
            self._table = {"caption": "", "header": [], "rows": [], "pos": pos}
            self.tables.append(self._table)
        elif tag == "caption":
            self._in_caption = True
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ([], a.get("data-count", "").strip().lower() in COUNT_MARKS)

    def _structure_end(self, tag: str) -> None:
        if tag == "h1" and self.title_h1 is not None:
            self.h1, self.title_h1 = "".join(self.title_h1).strip(), None
        elif tag == "caption" and self._table is not None:
            self._in_caption = False
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(("".join(self._cell[0]).strip(), self._cell[1]))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            if self._in_head:
                self._table["header"] = [re.sub(r"\d+$", "", t) for t, _ in self._row]
            else:
                self._table["rows"].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self._stack and self._stack[-1] == tag:
            self._close(len(self._stack))
            self._stack.pop()

    def handle_endtag(self, tag):
        self._structure_end(tag)
        if tag in ("script", "style") and self._script is not None:
            kind, body, pos = self._script
            self.scripts.append((kind, "".join(body), pos))
            self._script = None
        if tag in self._stack:
            while self._stack:
                depth = len(self._stack)
                self._close(depth)
                if self._stack.pop() == tag:
                    break
        if tag not in _INLINE:
            self.chunks.append(("\n", self.getpos()))

    def _close(self, depth: int):
        if self._count_depth and self._count_depth[-1][0] == depth:
            _, parts, pos, attrs = self._count_depth.pop()
            self.counts.append(("".join(parts), pos, attrs))

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)
            return
        self.chunks.append((data, self.getpos()))
        for _, parts, _, _ in self._count_depth:
            parts.append(data)
        if self.title_h1 is not None:
            self.title_h1.append(data)
        if self._in_caption and self._table is not None:
            self._table["caption"] += data
        if self._cell is not None and not (self._in_head and self._stack and self._stack[-1] == "a"):
            self._cell[0].append(data)


def _data_uri(value: str) -> bytes:
    import base64

    head, _, body = value.partition(",")
    try:
        return base64.b64decode(body) if ";base64" in head else unquote_to_bytes(body)
    except ValueError:
        return b""


def _where(pos: tuple[int, int], prefix: str = "") -> str:
    line, col = pos
    return f"{prefix}line {line}, column {col + 1}"


def _parsed(text: str) -> "_Markup | Exception":
    parser = _Markup()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # html.parser is lenient; this is a last resort
        return exc
    return parser


def _check_markup(text: str, checker: _Checker, prefix: str = "",
                  parser: "_Markup | Exception | None" = None) -> Iterator[tuple[str, str, str]]:
    parser = _parsed(text) if parser is None else parser
    if isinstance(parser, Exception):
        yield prefix or "file", "unreadable", type(parser).__name__
        return
    joined, starts = [], []
    offset = 0
    for chunk, pos in parser.chunks:
        starts.append((offset, pos, chunk))
        joined.append(chunk)
        offset += len(chunk)
    full = "".join(joined)
    offsets = [s[0] for s in starts]
    import bisect

    for h in checker.text_hits(full):
        i = bisect.bisect_right(offsets, h.start) - 1
        base, (line, col), chunk = starts[i]
        # the position inside the chunk: count lines and columns
        inner = chunk[:h.start - base]
        if "\n" in inner:
            line += inner.count("\n")
            col = len(inner) - inner.rfind("\n") - 1
        else:
            col += len(inner)
        yield _where((line, col), prefix), h.kind, _excerpt(full[h.start:h.end])
    for value, pos in parser.attrs:
        for h in checker.text_hits(value):
            yield _where(pos, prefix) + " (attribute)", h.kind, _excerpt(value[h.start:h.end])
    for kind, body, pos in parser.scripts:
        if kind == "style":
            continue
        if "json" in kind.lower():
            try:
                data = json.loads(body)
            except ValueError:
                data = None
            if data is not None:
                for loc, kd, ex in _check_json(data, checker, "$"):
                    yield f"{_where(pos, prefix)} (script {loc})", kd, ex
                continue
        for h in checker.text_hits(body, strict=True):
            yield _where(pos, prefix) + " (script)", h.kind, _excerpt(body[h.start:h.end])
    for raw, pos in parser.embedded:
        for loc, kd, ex in _check_markup(raw.decode("utf-8", "replace"), checker):
            yield f"{_where(pos, prefix)} (embedded image, {loc})", kd, ex
    for value, pos, _ in parser.counts:
        n = parse_count(value)
        if n is not None and checker.small(n):
            yield _where(pos, prefix), "small_cell", f"{n} < k={checker.k}"
    yield from _check_page_counts(parser, checker, prefix)


# ---- a page's counts together, and the pages of one build together ----------------------------

def _hidden_text(text: str) -> bool:
    t = text.strip()
    return t.startswith(("<", "&lt;")) or t == "x"


def _check_page_counts(parser: "_Markup", checker: _Checker, prefix: str = "") -> Iterator[tuple[str, str, str]]:
    """Values on one page that give a small count away: a group and its subgroup (``data-part-of``)
    whose difference is from 1 to k - 1, and a percentage shown in a table row whose count is hidden."""
    shown: dict[str, int] = {}
    for text, _, attrs in parser.counts:
        n = parse_count(text)
        if n is not None and attrs.get("data-figure") and not attrs.get("data-key"):
            shown.setdefault(attrs["data-figure"], n)
    for text, pos, attrs in parser.counts:
        parent, n = attrs.get("data-part-of"), parse_count(text)
        if parent in shown and n is not None and checker.small(shown[parent] - n):
            yield (_where(pos, prefix), "small_difference",
                   f"{parent} {shown[parent]} - {attrs.get('data-figure')} {n} < k={checker.k}")
    for table in parser.tables:
        for row in table["rows"]:
            if not any(is_count and _hidden_text(t) for t, is_count in row):
                continue
            for t, is_count in row:
                if not is_count and re.fullmatch(r"\d+(?:[.,]\d+)?\s?%", t):
                    yield (_where(table["pos"], prefix), "derived_value",
                           f"{table['caption'].strip()[:40]}: {t}")


UNKNOWN = "\0unknown"  # the scope of a page that does not say which district it is about


@dataclass
class PageCounts:
    """The counts of persons on one report page, for the checks across the pages of a build."""

    file: str
    scope: str | None  # the district (meta impact:district), None for the whole study
    report: str  # the page's title (h1): the same report for the whole study and each district
    figures: list[tuple[str, str | None, str | None, str]]  # (figure, key, same-as, text)
    cells: dict[tuple[str, str, str], str]  # (table caption, row, column) -> text
    lang: str = ""  # the page's language (html lang): its titles and captions are in it


def page_counts(text: str, file: str = "", parser: "_Markup | None" = None) -> PageCounts:
    """Read the counts of persons of one HTML page (``data-count="persons"``)."""
    if parser is None:
        parser = _Markup()
        parser.feed(text)
        parser.close()
    figures = [(a["data-figure"], a.get("data-key"), a.get("data-same-as"), t.strip())
               for t, _, a in parser.counts if a.get("data-figure")]
    cells = {}
    for table in parser.tables:
        header = table["header"]
        for row in table["rows"]:
            for n, (t, is_count) in enumerate(row):
                if is_count and n < len(header):
                    cells[(table["caption"].strip(), row[0][0], header[n])] = t
    # a page without impact's mark (an older build, another tool) has no known place: not compared
    scope = (parser.meta["district"] or None) if "district" in parser.meta else UNKNOWN
    return PageCounts(file, scope, parser.h1, figures, cells, parser.meta.get("lang", ""))


def check_pages(pages: list[PageCounts], k: int, districts: Iterable[str] | None = None) -> list[Finding]:
    """Counts that only the pages of one build together give away.

    * the same figure for the same place (the whole study, a district) reads the same on every page,
      in every language ("1.234" and "1,234" are one number; ``data-same-as``: a figure per district
      on the whole-study page is that district's figure);
    * with ``districts`` (all the study has) and a page for each of them: the whole study's value
      minus the districts' shown values (a row missing on a district's page counts 0) is not a count
      from 1 to k - 1 while a district's value is hidden. For figures, and for table cells (the same
      report, caption, row and column, in the same language).
    """
    found: list[Finding] = []
    seen: dict[tuple, tuple[str, str]] = {}
    pages = [p for p in pages if p.scope is not UNKNOWN]
    for page in pages:
        for figure, key, same_as, text in page.figures:
            where = (same_as or figure, key if same_as else page.scope, None if same_as else key)
            if where in seen and _shown(seen[where][0]) != _shown(text):
                found.append(Finding(page.file, f"figure {where[0]}", "cross_page",
                                     f"'{text}' here, '{seen[where][0]}' on {Path(seen[where][1]).name}"))
            seen.setdefault(where, (text, page.file))
    districts = list(districts or [])
    by_report: dict[tuple[str, str], dict[str | None, PageCounts]] = {}
    for page in pages:
        by_report.setdefault((page.lang, page.report), {})[page.scope] = page
    for scopes in by_report.values():
        whole = scopes.get(None)
        if whole is None or not districts or any(d not in scopes for d in districts):
            continue
        totals = {(f, key): parse_count(t) for f, key, same, t in whole.figures if not same}
        for (figure, key), total in totals.items():
            parts = [seen.get((figure, d, key), ("0" if key is not None else "", ""))[0] for d in districts]
            _residual(found, whole.file, f"figure {figure}", total, districts, parts, k)
        for where, text in whole.cells.items():
            parts = [scopes[d].cells.get(where, "0") for d in districts]
            _residual(found, whole.file, f"table {where[0][:40]}: {where[1]}, {where[2]}", parse_count(text),
                      districts, parts, k)
    return found


def _shown(text: str) -> int | str:
    """What a reader takes from a shown value in any language: the count, or the text that hides it."""
    n = parse_count(text)
    return text.strip() if n is None else n


def _residual(found: list, file: str, what: str, total: int | None, districts: list, parts: list[str], k: int):
    if total is None:
        return
    hidden = [d for d, t in zip(districts, parts) if _hidden_text(t)]
    rest = total - sum(parse_count(t) or 0 for t in parts)
    if hidden and 0 < rest < k:
        found.append(Finding(file, what, "cross_page",
                             f"{total} minus the districts leaves {rest} < k={k} for {', '.join(hidden)}"))


# ---- JSON, notebooks, CSV, PDF ------------------------------------------------

def _looks_like_markup(s: str) -> bool:
    return "<" in s and re.search(r"<(?:[a-zA-Z][\w:-]*)[\s>/]", s) is not None


def _check_string(s: str, checker: _Checker, where: str) -> Iterator[tuple[str, str, str]]:
    if _looks_like_markup(s):
        for loc, kd, ex in _check_markup(s, checker):
            yield f"{where}, {loc}", kd, ex
    else:
        for h in checker.text_hits(s):
            yield where, h.kind, _excerpt(s[h.start:h.end])


def _check_json(data, checker: _Checker, path: str) -> Iterator[tuple[str, str, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            sub = f"{path}.{key}" if re.fullmatch(r"[A-Za-z_][\w-]*", str(key)) else f"{path}[{json.dumps(key)}]"
            if _persons_key(key) and isinstance(value, (int, float)) and not isinstance(value, bool) \
                    and checker.small(value):
                yield sub, "small_cell", f"{value:g} < k={checker.k}"
            for h in checker.text_hits(str(key)):
                yield f"{sub} (key)", h.kind, _excerpt(str(key)[h.start:h.end])
            yield from _check_json(value, checker, sub)
    elif isinstance(data, list):
        # a list of lines (notebook sources and outputs) is one text
        if data and all(isinstance(x, str) for x in data):
            yield from _check_string("".join(data), checker, path)
        else:
            for i, value in enumerate(data):
                yield from _check_json(value, checker, f"{path}[{i}]")
    elif isinstance(data, str):
        yield from _check_string(data, checker, path)


def _check_notebook(nb: dict, checker: _Checker) -> Iterator[tuple[str, str, str]]:
    for i, cell in enumerate(nb.get("cells", [])):
        where = f"cell {i + 1}"
        yield from _check_json(cell.get("source", ""), checker, f"{where} source")
        for j, out in enumerate(cell.get("outputs", []) or []):
            yield from _check_json(out, checker, f"{where} output {j + 1}")
    yield from _check_json(nb.get("metadata", {}), checker, "metadata")


def _check_csv(text: str, checker: _Checker) -> Iterator[tuple[str, str, str]]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if not rows:
        return
    header = rows[0]
    for j, name in enumerate(header):
        for h in checker.text_hits(name):
            yield f"row 1, column {j + 1}", h.kind, _excerpt(name[h.start:h.end])
    counted = {j for j, name in enumerate(header) if _persons_key(name)}
    for i, row in enumerate(rows[1:], start=2):
        for j, cell in enumerate(row):
            col = header[j] if j < len(header) and header[j] else str(j + 1)
            for h in checker.text_hits(cell):
                yield f"row {i}, column '{col}'", h.kind, _excerpt(cell[h.start:h.end])
            if j in counted:
                n = parse_count(cell)
                if n is not None and checker.small(n):
                    yield f"row {i}, column '{col}'", "small_cell", f"{n} < k={checker.k}"


def _pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return [page.extract_text() or "" for page in reader.pages]


# ---- the guard -------------------------------------------------------------

def iter_files(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Every file under ``paths`` (folders searched, hidden folders too), sorted."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.is_file())
        elif p.is_file():
            yield p


def check_file(path: Path, checker: _Checker, pages: list[PageCounts] | None = None
               ) -> Iterator[tuple[str, str, str]]:
    """The findings in one file; an HTML page's counts are added to ``pages`` (read once for both)."""
    suffix = path.suffix.lower()
    if suffix in SKIP_SUFFIXES:
        return
    if suffix == ".pdf":
        try:
            pages = _pdf_pages(path)
        except Exception as exc:  # a PDF we cannot read is a PDF we cannot vouch for
            yield "file", "unreadable", type(exc).__name__
            return
        for n, page in enumerate(pages, start=1):
            for h in checker.text_hits(page):
                yield f"page {n}", h.kind, _excerpt(page[h.start:h.end])
        return
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if b"\0" in data[:8192]:
            yield "file", "unreadable", "binary"
            return
        text = data.decode("cp1252", errors="replace")
    if suffix in HTML_SUFFIXES or suffix in SVG_SUFFIXES:
        parser = _parsed(text)
        yield from _check_markup(text, checker, parser=parser)
        if suffix in HTML_SUFFIXES and pages is not None:
            pages.append(page_counts(text, str(path), None if isinstance(parser, Exception) else parser))
    elif suffix in (".json", ".ipynb", ".vl", ".geojson"):
        try:
            parsed = json.loads(text)
        except ValueError:
            yield from _plain(text, checker)
            return
        if suffix == ".ipynb" and isinstance(parsed, dict):
            yield from _check_notebook(parsed, checker)
        else:
            yield from _check_json(parsed, checker, "$")
    elif suffix == ".csv":
        yield from _check_csv(text, checker)
    else:
        yield from _plain(text, checker)


def _plain(text: str, checker: _Checker) -> Iterator[tuple[str, str, str]]:
    for h in checker.text_hits(text):
        line = text.count("\n", 0, h.start) + 1
        col = h.start - (text.rfind("\n", 0, h.start) + 1) + 1
        yield f"line {line}, column {col}", h.kind, _excerpt(text[h.start:h.end])


def check_publish(paths: Iterable[Path | str], names: Iterable[str] = (), k: int = 5, *,
                  values: dict[str, Iterable[str]] | None = None,
                  allow: Iterable[str] = (), districts: Iterable[str] | None = None) -> list[Finding]:
    """Every finding in the files under ``paths``; an empty list means: safe to publish.

    ``names``: names and spellings from the register. ``k``: the smallest
    publishable count of persons. ``values``: other private values from the
    register (``{"phone": [...], "email": [...], "address": [...]}``).
    ``allow``: texts that may be published although they look like
    personal data (the organisation's own phone number in a colophon).
    ``districts``: the study's districts, for the check of the whole study
    against its districts across the HTML pages given (``check_pages``).
    """
    check = PublishCheck(names, k, values=values, allow=allow, districts=districts)
    for path in paths:
        check.add(path)
    return check.findings()


class PublishCheck:
    """``check_publish`` for files given one at a time (a build checks each page as soon as it is made,
    beside the notebooks still running), and then all of them together (``check_pages``).

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.html"
        >>> _ = p.write_text('<td data-count="persons">3</td>')
        >>> check = PublishCheck([], 5)
        >>> check.add(p)
        >>> [f.kind for f in check.findings()]
        ['small_cell']
    """

    def __init__(self, names: Iterable[str], k: int = 5, *, values: dict[str, Iterable[str]] | None = None,
                 allow: Iterable[str] = (), districts: Iterable[str] | None = None):
        self.checker = _Checker(names, k, values, allow)
        self.k, self.districts = k, districts
        self.found: list[Finding] = []
        self.pages: list[PageCounts] = []

    def add(self, path: Path | str) -> None:
        """Check ``path`` (a file, or every file in a folder)."""
        for file in iter_files([path]):
            for location, kind, excerpt in check_file(file, self.checker, self.pages):
                self.found.append(Finding(str(file), location, kind, excerpt))

    def findings(self) -> list[Finding]:
        """Every finding in the files added, and what their pages give away together."""
        return self.found + check_pages(self.pages, self.k, self.districts)


# the columns people.csv needs (docs/data-model.md); a register with only this line has nobody in it yet
REGISTER_HEADER = "person_id,name,role,actor_type,district"


class RegisterUnavailable(ImpactError):
    """The guard cannot read the study's private register, so it cannot vouch for anything."""


@dataclass(frozen=True)
class Register:
    """What the guard looks for from the private register: names (with spellings) and contact data."""

    names: list[str]
    values: dict[str, list[str]]
    path: Path


def load_register(study) -> Register:
    """The names and contact data in the register of ``study`` (``data/raw/people.csv`` or ``.xlsx``).

    Fails closed: raises ``RegisterUnavailable`` (an ``ImpactError``) when ``study`` is
    None, when there is no register, or when it cannot be read or has no ``name``
    column, so a check without names can never end as "clean".
    """
    from impact.tabular import read_table

    if study is None:
        raise RegisterUnavailable(Text("Geen studie gekozen, dus geen register met namen. De controle stopt: "
                                       "kies de studie met --study."))
    path = next((study.raw / f"people{ext}" for ext in (".csv", ".xlsx")
                 if (study.raw / f"people{ext}").is_file()), None)
    if path is None:
        raise RegisterUnavailable(Text("Het register {raw}/people.csv ontbreekt. Zonder register kan de "
                                       "controle niet zoeken naar namen, dus stopt hij. Maak het bestand aan, "
                                       "met deze eerste regel:\n  {header}\nZet op de regels daaronder de mensen "
                                       "van de studie. Nog niemand? Dan is alleen die eerste regel genoeg. "
                                       "Draai daarna impact process en opnieuw impact build.",
                                       raw=study.rel(study.raw), header=REGISTER_HEADER))
    try:
        table = read_table(path, required=["person_id", "name"])
    except ImpactError as err:
        raise RegisterUnavailable(Text("Het register {path} kan niet gelezen worden, dus stopt de controle: "
                                       "{text}",
                                       path=study.rel(path), text=err.text),
            err.problems) from None
    names: list[str] = []
    values: dict[str, list[str]] = {"phone": [], "email": [], "address": []}
    for row in table.rows:
        names.append(row.get("name", ""))
        names += (row.get("name_variants") or "").split(";")
        for kind in values:
            if row.get(kind):
                values[kind].append(row[kind])
    return Register(sorted({n.strip() for n in names if n and n.strip()}), values, path)


def register_values(study) -> tuple[list[str], dict[str, list[str]]]:
    """Names (with spellings) and contact data from the study's private register, for the
    guard; raises ``RegisterUnavailable`` when it cannot (see ``load_register``)."""
    register = load_register(study)
    return register.names, register.values


def check_study(paths: Iterable[Path | str], study, k: int | None = None,
                allow: Iterable[str] = ()) -> list[Finding]:
    """``check_publish`` with the register and ``k`` of ``study``; fails closed.

    Raises ``RegisterUnavailable`` when the register cannot be loaded (no study, no
    register, unreadable). ``k`` defaults to the study's ``privacy.k``.
    """
    register = load_register(study)
    limit = k if k is not None else study.config.privacy.k
    return check_publish(paths, names=register.names, k=limit, values=register.values, allow=allow,
                         districts=study.config.districts)
