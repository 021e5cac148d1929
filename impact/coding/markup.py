"""Plain-text coding: ``[quoted words]{#code1 #code2}`` in any text editor.

Rules (docs/coding.md explains them for key persons):

* A span is ``[`` words ``]`` followed directly by ``{`` codes ``}``; each
  code starts with ``#``. Spans may nest: ``[Ik wil [werken]{#werk}, echt]{#motivatie}``.
* Two codings that overlap without nesting are written as pieces that share
  a label ``+name``: the pieces of one label must follow each other (only
  spaces or line breaks between them) and carry the same codes; together
  they are one coding, from the start of the first piece to the end of the
  last: ``[Ik wil [werken]{#geld +a}]{#motivatie}[ en verdienen]{#geld +a}``.
* Brackets without ``{...}`` right after them stay text (``[lacht]``). A
  backslash makes ``[ ] { } \\`` plain text: ``\\[``.
* Removing the markup gives back the transcript text exactly.

Errors (unclosed span, span closed but never opened, span without a code,
empty span, unknown code, pieces that do not follow each other) name file,
line and column.

Example:
    >>> m = parse_markup("Ik wil [werken]{#werk #motivatie}.")
    >>> m.text, [(c.start, c.end, c.code) for c in m.codings]
    ('Ik wil werken.', [(7, 13, 'werk'), (7, 13, 'motivatie')])
    >>> write_markup("Ik wil werken en verdienen.", [(0, 13, "motivatie"), (7, 26, "geld")])
    '[Ik wil [werken]{#geld +1}]{#motivatie}[ en verdienen]{#geld +1}.'
"""

from __future__ import annotations

import bisect
import heapq
from dataclasses import dataclass, field

from impact.coding.codebook import valid_code_name
from impact.errors import InputError, Problem, Text

ESCAPABLE = "[]{}\\"


@dataclass(frozen=True)
class Coding:
    """One coding in a markup file: offsets in the plain text, and where it was written."""

    start: int
    end: int
    code: str
    line: int
    column: int


@dataclass
class Markup:
    """The plain text behind a markup file, its codings and the problems found."""

    text: str
    codings: list[Coding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass
class _Span:
    open_at: int      # index of '[' in the markup
    close_at: int     # index of ']'
    attr_end: int     # index of '}'
    codes: list       # (code, index of '#')
    label: str | None = None
    start: int = 0
    end: int = 0


def _locator(markup: str, first_line: int):
    starts = [0] + [i + 1 for i, ch in enumerate(markup) if ch == "\n"]

    def where(index: int) -> tuple[int, int]:
        n = bisect.bisect_right(starts, index) - 1
        return first_line + n, index - starts[n] + 1

    return where


def _problem(file, where, index, value, text, column=None) -> Problem:
    line, col = where(index)
    return Problem(file, line, column, value, text, unit="line", position=col)


def parse_markup(markup: str, codes: dict[str, str] | None = None, file: str = "<tekst>",
                 first_line: int = 1, strict: bool = True) -> Markup:
    """Parse coded text into the plain text and its codings.

    ``codes`` maps every allowed code name and alias (lower case) to the
    current code name (see ``codebook.code_lookup``); ``None`` accepts any
    code. ``first_line`` is the file line of the markup's first line (for
    messages). With ``strict`` an ``InputError`` lists every error;
    otherwise the problems are returned in ``Markup.problems`` and the
    codings that are fine are kept.
    """
    markup = markup.replace("\r\n", "\n").replace("\r", "\n")
    where = _locator(markup, first_line)
    problems: list[Problem] = []
    spans: list[_Span] = []
    openers: list[int] = []
    skip: set[int] = set()           # markup indexes that are not text
    n = len(markup)
    i = 0
    while i < n:
        ch = markup[i]
        if ch == "\\" and i + 1 < n and markup[i + 1] in ESCAPABLE:
            skip.add(i)
            i += 2
            continue
        if ch == "[":
            openers.append(i)
        elif ch == "]" and i + 1 < n and markup[i + 1] == "{":
            close = markup.find("}", i + 2)
            newline = markup.find("\n", i + 2)
            if close < 0 or (0 <= newline < close):
                problems.append(_problem(file, where, i + 1, markup[i + 1:i + 21].split("\n")[0],
                                         Text("een } die de codes afsluit op dezelfde regel")))
                i += 1
                continue
            if not openers:
                problems.append(_problem(file, where, i, markup[i:close + 1],
                                         Text("een [ ervoor; dit stuk wordt gesloten maar is nooit geopend")))
                skip.update(range(i, close + 1))
                i = close + 1
                continue
            span = _Span(openers.pop(), i, close, [])
            for tok_at, token in _tokens(markup, i + 2, close):
                if token.startswith("#") and len(token) > 1:
                    span.codes.append((token[1:], tok_at))
                elif token.startswith("+") and len(token) > 1:
                    span.label = token[1:]
                else:
                    problems.append(_problem(file, where, tok_at, token,
                                             Text("een code met # ervoor (bijvoorbeeld #motivatie)")))
            if not span.codes:
                problems.append(_problem(file, where, i + 1, markup[i + 1:close + 1],
                                         Text("minstens één code, zoals {#motivatie}")))
            skip.add(span.open_at)
            skip.update(range(i, close + 1))
            spans.append(span)
            i = close + 1
            continue
        elif ch == "]" and openers:
            openers.pop()        # a literal pair like [lacht]
        i += 1
    for at in openers:
        problems.append(_problem(file, where, at, markup[at:at + 20].split("\n")[0],
                                 Text("een ] met codes erachter, zoals ]{#code}; dit stuk wordt nooit "
                                      "gesloten")))
    # plain text and the offset of every markup index in it
    text_chars: list[str] = []
    offset_at = [0] * (n + 1)
    for j, ch in enumerate(markup):
        offset_at[j] = len(text_chars)
        if j not in skip:
            text_chars.append(ch)
    offset_at[n] = len(text_chars)
    text = "".join(text_chars)
    for s in spans:
        s.start, s.end = offset_at[s.open_at + 1], offset_at[s.close_at]
    codings = _codings(spans, text, codes, file, where, problems)
    result = Markup(text=text, codings=codings, problems=problems)
    if strict and result.errors:
        raise InputError(Text("{file}: de codes in deze tekst kloppen niet.", file=file), result.errors)
    return result


def first_difference(text: str, original: str) -> int | None:
    """Where a coded copy's ``text`` first differs from the ``original`` text; None when they are the same.

    Codings from that place on cannot be trusted: the coder changed the words.

    Example:
        >>> first_difference("Ik wil werken.", "Ik wil wonen."), first_difference("Ja.", "Ja.")
        (8, None)
    """
    if text == original:
        return None
    n = min(len(text), len(original))
    for i in range(n):
        if text[i] != original[i]:
            return i
    return n


def _tokens(markup: str, start: int, end: int):
    i = start
    while i < end:
        if markup[i].isspace():
            i += 1
            continue
        j = i
        while j < end and not markup[j].isspace():
            j += 1
        yield i, markup[i:j]
        i = j


def _codings(spans, text, codes, file, where, problems) -> list[Coding]:
    out: list[Coding] = []
    groups: dict[str, list[_Span]] = {}
    for s in spans:
        if not s.codes:
            continue
        if s.start == s.end:
            problems.append(_problem(file, where, s.open_at, "[]",
                                     Text("woorden tussen [ en ]; dit stuk is leeg")))
            continue
        if s.label is None:
            groups[f"\0{id(s)}"] = [s]
        else:
            groups.setdefault(s.label, []).append(s)
    for label, pieces in groups.items():
        pieces.sort(key=lambda s: (s.start, s.end))
        first = pieces[0]
        names = sorted(c for c, _ in first.codes)
        ok = True
        for prev, nxt in zip(pieces, pieces[1:]):
            if sorted(c for c, _ in nxt.codes) != names:
                problems.append(_problem(file, where, nxt.close_at + 1, f"+{label}",
                                         Text("dezelfde codes als het eerste stuk met +{label} ({value})",
                                              label=label, value=' '.join('#' + c for c in names))))
                ok = False
            elif nxt.start < prev.end or text[prev.end:nxt.start].strip():
                problems.append(_problem(file, where, nxt.open_at, f"+{label}",
                                         Text("dat de stukken met +{label} direct op elkaar volgen (alleen "
                                              "spaties ertussen)",
                                              label=label)))
                ok = False
        if not ok:
            continue
        start, end = first.start, max(p.end for p in pieces)
        for name, tok_at in first.codes:
            code = name
            if codes is not None:
                code = codes.get(name.lower())
                if code is None:
                    problems.append(_problem(file, where, tok_at, name,
                                             Text("een code of oude naam (alias) uit het codeboek"),
                                             column="code"))
                    continue
            line, col = where(tok_at)
            out.append(Coding(start, end, code, line, col))
    out.sort(key=lambda c: (c.start, -c.end, c.line, c.column))
    unique: dict[tuple, Coding] = {}
    for c in out:
        unique.setdefault((c.start, c.end, c.code), c)
    return list(unique.values())


def _escape(text: str) -> str:
    return "".join("\\" + ch if ch in "[]\\" else ch for ch in text)


def write_markup(text: str, codings) -> str:
    """Write ``text`` with ``codings`` as inline markup (the inverse of ``parse_markup``).

    ``codings``: (start, end, code) tuples, or a table with those columns.
    Codings with the same words share one span; codings that overlap
    without nesting are split into pieces sharing a ``+label``.
    """
    if hasattr(codings, "select"):
        codings = codings.select("start", "end", "code").rows()
    by_range: dict[tuple[int, int], list[str]] = {}
    for start, end, code in codings:
        start, end = int(start), int(end)
        if not 0 <= start < end <= len(text):
            raise InputError(Text("Een codering ({start}-{end}, {code}) valt buiten de tekst (lengte "
                                  "{n_text}) of is leeg.",
                                  start=start, end=end, code=code, n_text=len(text)))
        if not valid_code_name(str(code)):
            raise InputError(Text("De code '{code}' kan niet in tekst worden geschreven: geen spaties, "
                                  "haken, # of + in een codenaam.",
                                  code=code))
        names = by_range.setdefault((start, end), [])
        if code not in names:
            names.append(code)
    heap = [(s, -e, k, s, e, tuple(sorted(c)), None) for k, ((s, e), c) in enumerate(sorted(by_range.items()))]
    heapq.heapify(heap)
    seq = len(heap)
    labels = 0
    pieces: list[tuple[int, int, tuple, str | None]] = []
    stack: list[int] = []             # ends of the open pieces, innermost last
    while heap:
        _, _, key, s, e, names, label = heapq.heappop(heap)
        while stack and stack[-1] <= s:
            stack.pop()
        if stack and e > stack[-1]:
            cut = stack[-1]
            if label is None:
                labels += 1
                label = str(labels)
            heapq.heappush(heap, (cut, -e, seq, cut, e, names, label))
            seq += 1
            e = cut
        pieces.append((s, e, names, label))
        stack.append(e)
    opens = sorted(range(len(pieces)), key=lambda k: (pieces[k][0], -pieces[k][1], k))
    rank = {k: r for r, k in enumerate(opens)}
    events: dict[int, list] = {}
    for k in opens:
        s, e, _, _ = pieces[k]
        events.setdefault(e, []).append((0, -rank[k], k))   # closes first, innermost first
        events.setdefault(s, []).append((1, rank[k], k))
    out: list[str] = []
    last = 0
    for pos in sorted(events):
        out.append(_escape(text[last:pos]))
        last = pos
        for kind, _, k in sorted(events[pos]):
            s, e, names, label = pieces[k]
            if kind == 1:
                out.append("[")
            else:
                attrs = " ".join("#" + c for c in names) + (f" +{label}" if label else "")
                out.append("]{" + attrs + "}")
    out.append(_escape(text[last:]))
    return "".join(out)
