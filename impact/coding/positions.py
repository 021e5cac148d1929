"""How tools count text positions, and turning their positions into impact's offsets.

impact's offsets count Unicode code points in the text with LF line
endings and no byte order mark (BOM). REFI-QDA projects store
``startPosition``/``endPosition`` for each selection, and each tool counts
them its own way over the text as it stores it:

* **unit**: code points, or UTF-16 code units (.NET, Cocoa and Delphi
  strings: a character outside the Basic Multilingual Plane, such as an
  emoji, counts 2);
* **line break**: a CRLF counted as 1 (the tool reads the file with LF) or
  as 2 (the tool counts the text as stored);
* **BOM**: a byte order mark at the start counted as a position, or not.

A ``PositionRule`` names one combination: ``codepoints`` (the default,
which is how we read the REFI-QDA standard's "characters": code points of
the text, line break 1, no BOM), or ``utf16``, optionally followed by
``+crlf2`` and ``+bom``. ``rule_for_origin`` gives the rule of a known
tool from the project's ``origin`` attribute; ``choose_rule`` picks, for a
project of unknown origin, the rule under which the selections fall on word
boundaries. ``PositionMap`` converts positions both ways for one text.

Example:
    >>> raw = "\\ufeffHi 👋\\r\\nIk wil werken."
    >>> m = PositionMap(raw, parse_rule("utf16+crlf2+bom"))
    >>> m.text[m.to_offset(8)[0]:m.to_offset(14, end=True)[0]]
    'Ik wil'
    >>> m.from_offset(m.text.index("Ik"))
    8
    >>> rule_for_origin("ATLAS.ti 23.2.1 (Windows)")[0].name
    'utf16'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from impact.errors import InputError, Problem, Text


@dataclass(frozen=True)
class PositionRule:
    """How a tool counts positions: UTF-16 units or code points, CRLF as 2 or 1, a BOM counted or not."""

    utf16: bool = False
    crlf2: bool = False
    bom: bool = False

    @property
    def name(self) -> str:
        parts = ["utf16" if self.utf16 else "codepoints"]
        if self.crlf2:
            parts.append("crlf2")
        if self.bom:
            parts.append("bom")
        return "+".join(parts)

    def describe(self) -> Text:
        """The rule in words, for messages."""
        unit = Text("UTF-16-eenheden (een emoji telt 2)") if self.utf16 \
            else Text("tekens (code points)")
        crlf = Text("een Windows-regeleinde (CRLF) telt 2") if self.crlf2 \
            else Text("een regeleinde telt 1")
        bom = Text("het BOM-teken aan het begin telt mee") if self.bom \
            else Text("een BOM-teken telt niet")
        return Text("{name}: {unit}, {crlf}, {bom}", name=self.name, unit=unit, crlf=crlf, bom=bom)


STANDARD = PositionRule()
# every rule, the standard's first: on a tie the earlier rule wins
ALL_RULES = tuple(PositionRule(u, c, b) for u in (False, True) for c in (False, True) for b in (False, True))

# (pattern on the origin attribute, rule, the tool as shown). What each tool does, as far as known:
# NVivo for Windows (.NET) counts UTF-16 units over the text as stored (CRLF 2, the BOM it writes counts);
# NVivo for Mac (Cocoa) counts UTF-16 units, its texts have LF; ATLAS.ti counts a line break as 1
# (QualCoder's importer makes the same exception for it) in UTF-16 units; MAXQDA counts UTF-16 units over
# the text as stored (CRLF 2); QualCoder, qc (qualitative-coding) and impact count code points with LF.
# A project whose origin is not here is read with choose_rule. See docs/coding.md.
VENDOR_RULES: tuple[tuple[str, PositionRule, str], ...] = (
    (r"nvivo.*\bmac\b|\bmac\b.*nvivo", PositionRule(utf16=True, crlf2=True), "NVivo (Mac)"),
    (r"nvivo", PositionRule(utf16=True, crlf2=True, bom=True), "NVivo (Windows)"),
    (r"atlas\.?ti", PositionRule(utf16=True), "ATLAS.ti"),
    (r"maxqda", PositionRule(utf16=True, crlf2=True), "MAXQDA"),
    (r"qualcoder", STANDARD, "QualCoder"),
    (r"^qc\b", STANDARD, "qc (qualitative-coding)"),
    (r"^impact\b", STANDARD, "impact"),
)
_IMPACT_RULE = re.compile(r"positions=([a-z0-9+]+)")


def parse_rule(name: str) -> PositionRule:
    """``codepoints``, ``utf16``, with ``+crlf2`` and/or ``+bom`` (or a tool: ``nvivo``, ``atlas.ti``, ``maxqda``)."""
    text = str(name or "").strip().lower()
    for pattern, rule, _label in VENDOR_RULES:
        if re.search(pattern, text):
            return rule
    parts = [p for p in re.split(r"[+,\s]+", text) if p]
    if not parts or parts[0] not in ("codepoints", "utf16", "standard") or \
            any(p not in ("crlf2", "bom") for p in parts[1:]):
        raise InputError(Text("--positions {name}: kies codepoints of utf16, eventueel met +crlf2 en +bom "
                              "(bijvoorbeeld utf16+crlf2+bom), of een programma: nvivo, atlas.ti, maxqda.",
                              name=name))
    return PositionRule(utf16=parts[0] == "utf16", crlf2="crlf2" in parts, bom="bom" in parts)


def rule_for_origin(origin: str | None) -> tuple[PositionRule | None, str | None]:
    """(rule, tool) for a project's ``origin`` attribute; (None, None) when the tool is unknown."""
    text = str(origin or "").strip().lower()
    if not text:
        return None, None
    written = _IMPACT_RULE.search(text)
    if text.startswith("impact") and written:
        return parse_rule(written.group(1)), "impact"
    for pattern, rule, label in VENDOR_RULES:
        if re.search(pattern, text):
            return rule, label
    return None, None


def stored_text(text: str, rule: PositionRule) -> str:
    """``text`` (LF, no BOM) as a tool that counts by ``rule`` stores it: CRLF for ``crlf2``, a BOM for ``bom``."""
    out = text.replace("\n", "\r\n") if rule.crlf2 else text
    return ("\ufeff" + out) if rule.bom else out


class PositionMap:
    """Positions of one text under one rule <-> impact's offsets in its LF text.

    ``raw`` is the text as the tool stored it (decoded, BOM and CRLF kept).
    ``text`` is impact's text: no BOM, every CRLF and lone CR made LF.
    """

    def __init__(self, raw: str, rule: PositionRule):
        import numpy as np

        self.rule = rule
        cps = np.frombuffer(raw.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        n = len(cps)
        nxt = np.append(cps[1:], -1)
        bom = np.zeros(n, dtype=bool)
        if n and cps[0] == 0xFEFF:
            bom[0] = True
        cr_of_crlf = (cps == 13) & (nxt == 10)
        width = np.where(rule.utf16 & (cps > 0xFFFF), 2, 1)
        width = np.where(bom, 1 if rule.bom else 0, width)
        width = np.where(cr_of_crlf, 1 if rule.crlf2 else 0, width)
        vstart = np.cumsum(width) - width
        keep = ~(bom | cr_of_crlf)
        # a kept character starts where its group starts: the LF of a CRLF at its CR
        prev_cr = np.append(False, cr_of_crlf[:-1])
        group_start = np.where(prev_cr, np.append(0, vstart[:-1]), vstart)
        total = int(width.sum())
        self.bounds = np.append(group_start[keep], total)  # bounds[k]: the tool's position of impact offset k
        chars = cps[keep]
        chars = np.where(chars == 13, 10, chars)  # a lone CR is a line break too
        self.text = chars.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass") if len(chars) else ""

    @property
    def length(self) -> int:
        """The text's length in the tool's positions."""
        return int(self.bounds[-1])

    def to_offset(self, position: int, end: bool = False) -> tuple[int | None, bool]:
        """(impact offset, exact) of the tool's ``position``; (None, False) outside the text.

        A position inside a CRLF pair, a surrogate pair or the BOM is not
        exact: a start is moved back to its character, an end forward.
        """
        import numpy as np

        if position < 0 or position > self.length:
            return None, False
        if end:
            k = int(np.searchsorted(self.bounds, position, side="left"))
        else:
            k = max(int(np.searchsorted(self.bounds, position, side="right")) - 1, 0)
        return k, bool(self.bounds[k] == position)

    def to_offsets(self, positions, end: bool = False):
        """``to_offset`` for many positions at once: (offsets, exact, inside) as numpy arrays."""
        import numpy as np

        pos = np.asarray(positions, dtype=np.int64)
        inside = (pos >= 0) & (pos <= self.length)
        if end:
            k = np.searchsorted(self.bounds, pos, side="left")
        else:
            k = np.maximum(np.searchsorted(self.bounds, pos, side="right") - 1, 0)
        k = np.minimum(k, len(self.bounds) - 1)
        return k, inside & (self.bounds[k] == pos), inside

    def from_offset(self, offset: int) -> int:
        """The tool's position of impact ``offset`` (for export)."""
        return int(self.bounds[offset])


def clean_boundary(text: str, offset: int) -> bool:
    """True when ``offset`` does not cut a word in two (letters or digits on both sides).

    Example:
        >>> clean_boundary("Ik wil", 2), clean_boundary("Ik wil", 4)
        (True, False)
    """
    if offset <= 0 or offset >= len(text):
        return True
    return not (text[offset - 1].isalnum() and text[offset].isalnum())


@dataclass
class RuleScore:
    """How selections fare under one rule: boundaries on word edges, positions between characters, outside."""

    rule: PositionRule
    boundaries: int = 0
    clean: int = 0
    outside: int = 0

    @property
    def share(self) -> float:
        return self.clean / self.boundaries if self.boundaries else 1.0


def score_rule(sources: list[tuple[str, list[tuple[int, int]]]], rule: PositionRule) -> RuleScore:
    """Score ``rule`` on ``sources``: (raw text, [(start, end), ...]) per text."""
    score = RuleScore(rule)
    for raw, spans in sources:
        if not spans:
            continue
        pm = PositionMap(raw, rule)
        text = pm.text
        for column, is_end in ((0, False), (1, True)):
            offsets, exact, inside = pm.to_offsets([s[column] for s in spans], end=is_end)
            score.boundaries += len(spans)
            score.outside += int((~inside).sum())
            score.clean += sum(1 for o, ok in zip(offsets.tolist(), exact.tolist()) if ok and clean_boundary(text, o))
    return score


def choose_rule(sources: list[tuple[str, list[tuple[int, int]]]]) -> tuple[PositionRule, list[RuleScore]]:
    """The rule under which most selection boundaries fall on word edges (ties: the standard's first).

    Returns the rule and every rule's score, best first.
    """
    scores = [score_rule(sources, rule) for rule in ALL_RULES]
    order = sorted(range(len(scores)), key=lambda i: (scores[i].outside, -scores[i].clean, i))
    ranked = [scores[i] for i in order]
    return ranked[0].rule, ranked


def rules_differ(sources: list[tuple[str, list[tuple[int, int]]]]) -> bool:
    """False when every rule reads these texts the same (no CRLF, BOM or character outside the BMP)."""
    return any("\r" in raw or raw.startswith("\ufeff") or any(ord(c) > 0xFFFF for c in raw)
               for raw, _ in sources)


def position_problem(shown: str, where: str, length: int) -> Problem:
    return Problem(shown, None, "startPosition", where, Text("een stuk binnen de tekst (lengte {length})",
                                                             length=length))
