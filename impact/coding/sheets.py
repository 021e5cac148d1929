"""Coding sheets: the open answers to one question, in one plain-text file to code.

A coding sheet holds the answers of one question and wave, for one coder:
``data/raw/codings/<coder>/answers__<instrument>__<item>__w<wave>.md``. A
header, then one block per answer, headed ``## <person_id>``; the answers
of one question stand together so a coder reads them side by side. Codes
are the usual inline markup: ``[words]{#code}``. Blocks are matched to
answers by person_id, so their order does not matter and an answer that
arrives later does not upset the codings of the others. A block whose text
differs from the answer is reported (file, line) and its codings from that
place on are left out. (``impact.coding.answers`` makes the answers into
documents and writes an empty sheet.)

Example:
    >>> sheet_name("bewoners", "verandering_tekst", 1)
    'answers__bewoners__verandering_tekst__w1'
    >>> raw = "---\\ninstrument: bewoners\\n---\\n## R0012\\n[Ik voel me minder alleen]{#verbinden}.\\n"
    >>> docs = {"answer:bewoners:verandering_tekst:w1:R0012": "Ik voel me minder alleen."}
    >>> rows, problems = codings_from_sheet(raw, "answers__bewoners__verandering_tekst__w1", "BB03", docs, None)
    >>> [(r["document"], r["start"], r["end"], r["code"]) for r in rows], problems
    ([('answer:bewoners:verandering_tekst:w1:R0012', 0, 24, 'verbinden')], [])
"""

from __future__ import annotations

import re

from impact.coding.sources import answer_document
from impact.errors import Problem, Text

SHEET_PREFIX = "answers__"

_BLOCK = re.compile(r"^##[ \t]+(\S+)[ \t]*$")
_SHEET = re.compile(r"^answers__(.+?)__(.+)__w(\d+)$")


def sheet_name(instrument: str, item: str, wave: int) -> str:
    """The file stem of the coding sheet of one question and wave."""
    return f"{SHEET_PREFIX}{instrument}__{item}__w{int(wave)}"


def parse_sheet_name(stem: str) -> tuple[str, str, int] | None:
    """(instrument, item, wave) of a coding sheet's file stem; None if it is not one."""
    m = _SHEET.match(stem)
    return (m.group(1), m.group(2), int(m.group(3))) if m else None


def sheet_text(instrument: str, item: str, wave: int, blocks, question: str | None = None,
               extra_header: tuple[str, ...] = ()) -> str:
    """A coding sheet from (person, answer text or markup) pairs, in the given order."""
    head = ["---", *extra_header,
            "# Open antwoorden om te coderen. Zet codes zo: [woorden]{#code}. Verander verder niets.",
            "# Open answers to code. Mark codes like this: [words]{#code}. Change nothing else.",
            f"instrument: {instrument}", f"item: {item}", f"wave: {int(wave)}"]
    if question:
        head.append(f"question: {' '.join(str(question).split())}")
    head.append("---")
    body = "\n\n".join(f"## {who}\n{text}" for who, text in blocks)
    return "\n".join(head) + "\n\n" + body + "\n"


def codings_from_sheet(raw: str, stem: str, coder: str, texts: dict[str, str], codes: dict[str, str] | None,
                       file: str = "<blad>") -> tuple[list[dict], list[Problem]]:
    """Codings of one coded answer sheet; (rows, problems).

    ``texts``: document id -> text of the study's documents (answers among them).
    """
    from impact.coding.markup import first_difference, parse_markup
    from impact.coding.transcripts import split_header

    parsed_name = parse_sheet_name(stem)
    if parsed_name is None:
        return [], [Problem(file, None, None, stem, Text("een naam als "
                                                         "answers__<vragenlijst>__<vraag>__w<meting>.md"))]
    instrument, item, wave = parsed_name
    raw = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    _, body, body_line = split_header(raw)
    lines = body.split("\n")
    blocks: list[tuple[str, int, list[str]]] = []  # (person, line of the header, body lines)
    problems: list[Problem] = []
    for i, line in enumerate(lines):
        m = _BLOCK.match(line)
        if m:
            blocks.append((m.group(1), body_line + i, []))
        elif blocks:
            blocks[-1][2].append(line)
        elif line.strip():
            problems.append(Problem(file, body_line + i, None, line.strip()[:60], Text("een regel '## "
                                                                                       "<person_id>' boven "
                                                                                       "elk antwoord; deze "
                                                                                       "tekst hoort bij geen "
                                                                                       "antwoord"),
                severity="warning", unit="line"))
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for person, header_line, body_lines in blocks:
        document = answer_document(instrument, item, wave, person)
        if person in seen:
            problems.append(Problem(file, header_line, "respondent", person, Text("elk antwoord één keer; "
                                                                                  "regel {value} heeft "
                                                                                  "dezelfde persoon",
                                                                                  value=seen[person]), unit="line"))
            continue
        seen[person] = header_line
        if document not in texts:
            problems.append(Problem(file, header_line, "respondent", person, Text("iemand die '{item}' in "
                                                                                  "meting {wave} van "
                                                                                  "'{instrument}' "
                                                                                  "beantwoordde",
                                                                                  item=item, wave=wave, instrument=instrument), unit="line"))
            continue
        top = 0
        while top < len(body_lines) and not body_lines[top].strip():
            top += 1
        while len(body_lines) > top and not body_lines[-1].strip():
            body_lines.pop()
        first = header_line + 1 + top
        parsed = parse_markup("\n".join(body_lines[top:]), codes=codes, file=file, first_line=first, strict=False)
        problems.extend(parsed.problems)
        truth = texts[document]
        differ = first_difference(parsed.text, truth)
        if differ is not None:
            line = first + parsed.text.count("\n", 0, differ)
            word = max(parsed.text.rfind(" ", 0, differ), parsed.text.rfind("\n", 0, differ)) + 1
            problems.append(Problem(file, line, None, parsed.text[word:differ + 30].split("\n")[0], Text("dezelfde "
                                                                                                         "tekst "
                                                                                                         "als "
                                                                                                         "het "
                                                                                                         "antwoord: "
                                                                                                         "daar "
                                                                                                         "staat "
                                                                                                         "'{value}'. "
                                                                                                         "Codes "
                                                                                                         "vanaf "
                                                                                                         "hier "
                                                                                                         "tellen "
                                                                                                         "niet "
                                                                                                         "mee.",
                                                                                                         value=truth[word:differ + 30].split(chr(10))[0]), unit="line"))
        for c in parsed.codings:
            if differ is not None and c.end > differ:
                continue
            rows.append({"document": document, "start": c.start, "end": c.end, "code": c.code, "coder": coder,
                         "text": truth[c.start:c.end]})
    return rows, problems
