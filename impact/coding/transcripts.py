"""Interview transcripts: a small header, then the conversation.

A transcript file (``.md``, ``.txt`` or ``.docx``) starts with a header
between ``---`` lines (``key: value``, ``#`` starts a comment), followed by
the conversation. The **text** is everything after the header with line
endings normalised to LF and surrounding blank lines trimmed; offsets count
Unicode code points in that text. Paragraphs are separated by a blank line;
a paragraph that starts with ``Name:`` begins a speaker turn.

Example:
    >>> doc = parse_transcript("---\\ninterview: I01\\nactor_type: formeel\\n---\\n\\nA: Hoi.\\n\\nB: Dag.\\n")
    >>> doc.header["interview"], doc.header["actor_type"], doc.text
    ('I01', 'formal', 'A: Hoi.\\n\\nB: Dag.')
    >>> [(u["start"], u["end"], u["speaker"]) for u in text_units(doc.text, "turn")]
    [(0, 7, 'A'), (9, 16, 'B')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from impact.errors import Problem, Text
from impact.registers import TRANSCRIPT_COLUMNS

HEADER_KEYS = ("interview", "date", "interviewer", "interviewee", "actor_type",
               "organisation_kind", "district", "consent")
ACTOR_TYPES = {"informal": "informal", "informeel": "informal", "formal": "formal", "formeel": "formal"}
TRANSCRIPT_SUFFIXES = (".md", ".txt", ".docx")

_PARA_SPLIT = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")
# "Naam:" at the start of a paragraph: a short label without sentence punctuation
_SPEAKER = re.compile(r"([^\s:.?!\[\]{}][^:\n.?!\[\]{}]{0,39}):[ \t]")


def normalise_text(text: str) -> str:
    """LF line endings, no BOM, no blank lines before or after the text."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


@dataclass
class ParsedTranscript:
    """A transcript split into header and text; ``body_line`` = file line of the text's first line."""

    header: dict
    text: str
    body_line: int = 1
    problems: list[Problem] = field(default_factory=list)
    header_lines: dict = field(default_factory=dict)  # key -> line number in the file


def split_header(raw: str) -> tuple[list[tuple[int, str]], str, int]:
    """(header lines with their numbers, body, line number where the body starts).

    No header: ([], raw, 1). The raw string must already have LF line endings.
    """
    raw = raw.lstrip("\ufeff")
    lines = raw.split("\n")
    first = 0
    while first < len(lines) and not lines[first].strip():
        first += 1
    if first >= len(lines) or lines[first].strip() != "---":
        return [], raw, 1
    for end in range(first + 1, len(lines)):
        if lines[end].strip() == "---":
            header = [(i + 1, lines[i]) for i in range(first + 1, end)]
            return header, "\n".join(lines[end + 1:]), end + 2
    return [], raw, 1  # no closing '---': treat the whole file as text (reported by the caller)


def read_header(header_lines: list[tuple[int, str]], keys: tuple[str, ...], file: str) -> tuple[dict, dict, list]:
    """``key: value`` lines of a header (``#`` starts a comment) -> (values, line of each key, problems).

    A line that is not ``key: value`` with one of ``keys`` is a warning.
    """
    values: dict = {}
    lines: dict = {}
    problems: list[Problem] = []
    for number, line in header_lines:
        content = re.sub(r"(^|\s)#.*$", "", line).strip()
        if not content:
            continue
        key, sep, value = content.partition(":")
        key = key.strip().lower()
        if not sep or key not in keys:
            problems.append(Problem(file, number, key or None, line.strip(), Text("een regel 'naam: waarde' "
                                                                                  "met een van: {keys}",
                                                                                  keys=', '.join(keys)), severity="warning", unit="line"))
            continue
        values[key] = value.strip().strip('"').strip("'")
        lines[key] = number
    return values, lines, problems


def parse_transcript(raw: str, file: str = "<transcript>", districts: list[str] | None = None) -> ParsedTranscript:
    """Split ``raw`` into a checked header dict and the normalised text."""
    from impact.tabular import EXPECT_BOOL, EXPECT_DATE, parse_bool, parse_date

    raw = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    header_lines, body, body_line = split_header(raw)
    problems: list[Problem] = []
    if not header_lines and raw.lstrip().startswith("---"):
        problems.append(Problem(file, 1, None, "---", Text("een kop tussen twee regels met ---; de tweede "
                                                           "regel --- ontbreekt")))
    header, where, unknown = read_header(header_lines, HEADER_KEYS, file)
    problems += unknown
    # normalise and check values
    if header.get("actor_type"):
        v = ACTOR_TYPES.get(header["actor_type"].lower())
        if v is None:
            problems.append(Problem(file, where["actor_type"], "actor_type", header["actor_type"], Text("informal "
                                                                                                        "of "
                                                                                                        "formal "
                                                                                                        "(informeel "
                                                                                                        "of "
                                                                                                        "formeel)"), unit="line"))
        header["actor_type"] = v
    if header.get("date"):
        try:
            header["date"] = parse_date(header["date"])
        except ValueError:
            problems.append(Problem(file, where["date"], "date", header["date"], EXPECT_DATE, unit="line"))
            header["date"] = None
    if header.get("consent"):
        try:
            header["consent"] = parse_bool(header["consent"])
        except ValueError:
            problems.append(Problem(file, where["consent"], "consent", header["consent"], EXPECT_BOOL, unit="line"))
            header["consent"] = None
    if header.get("district") and districts:
        match = {d.lower(): d for d in districts}.get(header["district"].lower())
        if match is None:
            problems.append(Problem(file, where["district"], "district", header["district"], Text("een "
                                                                                                  "stadsdeel "
                                                                                                  "uit "
                                                                                                  "impact.toml: "
                                                                                                  "{districts}",
                                                                                                  districts=', '.join(districts)), unit="line"))
        header["district"] = match
    for key in HEADER_KEYS:
        if header.get(key) in ("", None):
            header[key] = None
    # body: count the blank lines trimmed at the top so line numbers stay right
    lines = body.split("\n")
    skipped = 0
    while skipped < len(lines) and not lines[skipped].strip():
        skipped += 1
    return ParsedTranscript(header=header, text=normalise_text(body), body_line=body_line + skipped,
                            problems=problems, header_lines=where)


def read_text_file(path: Path) -> str:
    """The text of a transcript file; ``.docx`` paragraphs become lines (python-docx)."""
    from impact.tabular import decode_bytes

    if path.suffix.lower() == ".docx":
        return _docx_text(path)
    text, _ = decode_bytes(path.read_bytes())
    return text


def _docx_text(path: Path) -> str:
    """Header paragraphs as lines; conversation paragraphs separated by a blank line."""
    import zipfile

    import docx

    from impact.errors import InputError

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(Text("{name}: dit Word-bestand kan niet worden gelezen ({name2}).",
                              name=path.name, name2=type(exc).__name__),
                         [Problem(path.name, None, None, None, Text("een .docx-bestand"))]) from None
    paragraphs = [p.text for p in document.paragraphs]
    out: list[str] = []
    i = 0
    while i < len(paragraphs) and not paragraphs[i].strip():
        i += 1
    if i < len(paragraphs) and paragraphs[i].strip() == "---":
        j = i + 1
        while j < len(paragraphs) and paragraphs[j].strip() != "---":
            j += 1
        out.append("\n".join(paragraphs[i:j + 1]))
        i = j + 1
    body = [p for p in paragraphs[i:] if p.strip()]
    return "\n".join(out) + ("\n" if out else "") + "\n\n".join(body) + "\n"


def text_units(text: str, kind: str = "paragraph") -> list[dict]:
    """Paragraphs (blank-line separated) or speaker turns of one text, with offsets.

    A turn starts at a paragraph that begins with ``Name:`` and runs until
    the next such paragraph. Each unit: start, end (exclusive), text, speaker.
    """
    paragraphs = []
    pos = 0
    for m in _PARA_SPLIT.finditer(text):
        paragraphs.append((pos, m.start()))
        pos = m.end()
    paragraphs.append((pos, len(text)))
    units = []
    for start, end in paragraphs:
        if start >= end:
            continue
        m = _SPEAKER.match(text, start, end)
        speaker = m.group(1).strip() if m else None
        if kind == "turn" and units and speaker is None:
            units[-1]["end"] = end
            continue
        units.append({"start": start, "end": end, "speaker": speaker})
    for u in units:
        u["text"] = text[u["start"]:u["end"]]
    return units


TRANSCRIPT_SCHEMA = TRANSCRIPT_COLUMNS  # an interview's columns (declared in impact.registers)


def empty_transcripts():
    import polars as pl

    return pl.DataFrame(schema={k: getattr(pl, v) for k, v in TRANSCRIPT_SCHEMA.items()})


def transcript_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in TRANSCRIPT_SUFFIXES and not p.name.startswith((".", "~$")))


def load_transcripts(study) -> tuple:
    """Read every transcript in ``data/raw/transcripts`` of ``study``.

    Returns (table, problems). Columns as the ``transcripts`` table of
    docs/data-model.md; person columns hold raw person_ids, ``text`` is not
    redacted. A file with an error in its header is left out (with the
    problem); a duplicate interview id is an error for the second file.
    """
    import polars as pl

    from impact.errors import ImpactError

    folder = study.raw / "transcripts"
    rows, problems = [], []
    seen: dict[str, str] = {}
    for path in transcript_files(folder):
        shown = study.rel(path)
        try:
            raw = read_text_file(path)
        except ImpactError as err:
            problems.extend(err.problems or [Problem(shown, None, None, None, err.text)])
            continue
        doc = parse_transcript(raw, shown, study.config.districts)
        problems.extend(doc.problems)
        if any(p.severity == "error" for p in doc.problems):
            continue
        h = doc.header
        if not h.get("interview"):
            problems.append(Problem(shown, 1, "interview", None, Text("een kop met 'interview: <code>' "
                                                                      "(bijvoorbeeld interview: I01)"), unit="line"))
            continue
        if h["interview"] != path.stem:
            problems.append(Problem(shown, doc.header_lines.get("interview"), "interview", h["interview"], Text("dezelfde "
                                                                                                                "code "
                                                                                                                "als "
                                                                                                                "de "
                                                                                                                "bestandsnaam "
                                                                                                                "({stem}); "
                                                                                                                "de "
                                                                                                                "code "
                                                                                                                "uit "
                                                                                                                "de "
                                                                                                                "kop "
                                                                                                                "wordt "
                                                                                                                "gebruikt",
                                                                                                                stem=path.stem),
                severity="warning", unit="line"))
        if h["interview"] in seen:
            problems.append(Problem(shown, doc.header_lines.get("interview"), "interview", h["interview"], Text("een "
                                                                                                                "unieke "
                                                                                                                "code; "
                                                                                                                "{value} "
                                                                                                                "heeft "
                                                                                                                "dezelfde "
                                                                                                                "code",
                                                                                                                value=seen[h['interview']]), unit="line"))
            continue
        if not h.get("actor_type"):
            problems.append(Problem(shown, None, "actor_type", None, Text("informal of formal; zonder soort "
                                                                          "telt dit interview niet mee per "
                                                                          "soort actor"),
                severity="warning"))
        if not doc.text:
            problems.append(Problem(shown, None, None, None, Text("tekst van het gesprek onder de kop"),
                severity="warning"))
        seen[h["interview"]] = shown
        rows.append({"document": h["interview"], **{k: h.get(k) for k in HEADER_KEYS if k != "interview"},
                     "text": doc.text})
    if not rows:
        return empty_transcripts(), problems
    schema = {k: getattr(pl, v) for k, v in TRANSCRIPT_SCHEMA.items()}
    return pl.DataFrame(rows, schema=schema).sort("document"), problems
