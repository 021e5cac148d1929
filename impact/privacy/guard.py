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
  be 0, at least ``k``, empty, a dash, or ``< k``;
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
        label = KIND_LABELS.get(self.kind, (self.kind, self.kind))[1 if lang == "en" else 0]
        return f"{self.file}: {self.location}: {label} ({self.excerpt})"


# in scripts only what cannot be mistaken for code or numbers: e-mail and IBAN (and names)
_NOT_IN_SCRIPTS = frozenset(set(PATTERNS) - {"email", "iban"} | {"tags"})


class _Checker:
    def __init__(self, names: Iterable[str], k: int, values: dict[str, Iterable[str]] | None,
                 allow: Iterable[str]):
        self.pipeline = build_pipeline(names=names, values=values, keep=allow)
        self.k = int(k)

    def text_hits(self, text: str, strict: bool = False) -> list[Hit]:
        """``strict``: only kinds that cannot be mistaken for code or numbers (for scripts)."""
        if not text:
            return []
        return hits_of(self.pipeline.deidentify(text, disabled=_NOT_IN_SCRIPTS if strict else {"tags"}))

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
        self.counts: list[tuple[str, tuple[int, int]]] = []
        self._stack: list[str] = []
        self._count_depth: list[tuple[int, list[str], tuple[int, int]]] = []
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
        if tag in _VOID:
            return
        self._stack.append(tag)
        if a.get("data-count", "").strip().lower() == "persons":
            self._count_depth.append((len(self._stack), [], pos))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self._stack and self._stack[-1] == tag:
            self._close(len(self._stack))
            self._stack.pop()

    def handle_endtag(self, tag):
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
            _, parts, pos = self._count_depth.pop()
            self.counts.append(("".join(parts), pos))

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)
            return
        self.chunks.append((data, self.getpos()))
        for _, parts, _ in self._count_depth:
            parts.append(data)


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


def _check_markup(text: str, checker: _Checker, prefix: str = "") -> Iterator[tuple[str, str, str]]:
    parser = _Markup()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # html.parser is lenient; this is a last resort
        yield prefix or "file", "unreadable", type(exc).__name__
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
    for value, pos in parser.counts:
        n = parse_count(value)
        if n is not None and checker.small(n):
            yield _where(pos, prefix), "small_cell", f"{n} < k={checker.k}"


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


def check_file(path: Path, checker: _Checker) -> Iterator[tuple[str, str, str]]:
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
        yield from _check_markup(text, checker)
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
                  allow: Iterable[str] = ()) -> list[Finding]:
    """Every finding in the files under ``paths``; an empty list means: safe to publish.

    ``names``: names and spellings from the register. ``k``: the smallest
    publishable count of persons. ``values``: other private values from the
    register (``{"phone": [...], "email": [...], "address": [...]}``).
    ``allow``: texts that may be published although they look like
    personal data (the organisation's own phone number in a colophon).
    """
    checker = _Checker(names, k, values, allow)
    findings = []
    for path in iter_files(paths):
        for location, kind, excerpt in check_file(path, checker):
            findings.append(Finding(str(path), location, kind, excerpt))
    return findings


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
        raise RegisterUnavailable(Text(
            "Geen studie gekozen, dus geen register met namen. De controle stopt: kies de studie met --study.",
            "No study chosen, so no register of names. The check stops: choose the study with --study."))
    path = next((study.raw / f"people{ext}" for ext in (".csv", ".xlsx")
                 if (study.raw / f"people{ext}").is_file()), None)
    if path is None:
        raise RegisterUnavailable(Text(
            f"Het register {study.rel(study.raw)}/people.csv ontbreekt. Zonder register kan de controle niet "
            f"zoeken naar namen, dus stopt hij.",
            f"The register {study.rel(study.raw)}/people.csv is missing. Without it the check cannot look for "
            f"names, so it stops."))
    try:
        table = read_table(path, required=["person_id", "name"])
    except ImpactError as err:
        raise RegisterUnavailable(Text(
            f"Het register {study.rel(path)} kan niet gelezen worden, dus stopt de controle: {err.text('nl')}",
            f"The register {study.rel(path)} cannot be read, so the check stops: {err.text('en')}"),
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
    return check_publish(paths, names=register.names, k=limit, values=register.values, allow=allow)
