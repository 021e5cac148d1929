"""The codebook and the two coders' codings of the interviews and of the open answers.

Each coder's version is the true coding with that coder's misses and swaps
(into a confusable code). The demo's codings are marked-up copies of the
transcripts (``impact.coding.markup``) and coded answer sheets; a large
study's (benchmarks) are ``codings/<coder>.csv`` tables, coded more densely.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from impact import demo_text as tx
from impact.coding.markup import write_markup
from impact.demo.basics import CODERS, PERIOD_START
from impact.demo.files import write_frame
from impact.demo.interviews import Interview, transcript_header

# Long interviews (benchmarks) are coded more densely (impact.demo.interviews): per coder, how reliably.
PARENT_SHARE = (0.95, 0.9)      # per coder: codings (in the tables) that carry their parent code too
SECONDARY_CODER = ((0.85, 0.2), (0.75, 0.35))  # per coder: related codes kept, of those given as a confusable


def _coder_spans(iv: Interview, coder_index: int, rng: random.Random) -> list[tuple[int, int, str]]:
    """One coder's version of the true coding: mostly the same, sometimes another code or a miss."""
    keep, swap = ((0.93, 0.05), (0.85, 0.11))[coder_index]
    out = set()
    for s, e, code in iv.spans:
        r = rng.random()
        if r > keep:
            continue
        if r > keep - swap and code in tx.CONFUSABLE:
            code = tx.CONFUSABLE[code]
        out.add((s, e, code))
    return sorted(out)


def _coder_secondary(iv: Interview, coder_index: int, rng: random.Random) -> list[tuple[int, int, str]]:
    """One coder's related codes of a long interview: given less often, and more often another one."""
    keep, swap = SECONDARY_CODER[coder_index]
    out = []
    for s, e, code in iv.secondary:
        r = rng.random()
        if r < keep:
            out.append((s, e, tx.CONFUSABLE.get(code, code) if r >= keep - swap else code))
    return out


def write_codings(raw: Path, interviews: list[Interview], rng: random.Random, long_interviews: bool) -> None:
    """Both coders' codings of every interview: marked-up transcripts ``codings/<coder>/<doc>.md``, or for
    long interviews (benchmarks) tables ``codings/<coder>.csv``."""
    if long_interviews:
        _write_coding_tables(raw, interviews, rng)
        return
    for iv in interviews:
        header = transcript_header(iv)
        for k, coder in enumerate(CODERS):
            spans = _coder_spans(iv, k, rng)
            path = raw / "codings" / coder / f"{iv.doc}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes((header + write_markup(iv.text, spans) + "\n").encode("utf-8"))


def _write_coding_tables(raw: Path, interviews: list[Interview], rng: random.Random) -> None:
    """Codings of long interviews as ``codings/<coder>.csv`` tables (as other tools export them).

    Each coder gives the true codes (with misses and swaps), the related codes (less reliably) and,
    mostly, the parent code on the same span.
    """
    import polars as pl

    for k, coder in enumerate(CODERS):
        docs, starts, ends, codes = [], [], [], []
        for iv in interviews:
            for s, e, code in sorted(_coder_spans(iv, k, rng) + _coder_secondary(iv, k, rng)):
                parent = tx.PARENT_OF.get(code)
                for c in (code, parent) if parent and rng.random() < PARENT_SHARE[k] else (code,):
                    docs.append(iv.doc)
                    starts.append(s)
                    ends.append(e)
                    codes.append(c)
        frame = pl.DataFrame({"document": docs, "start": starts, "end": ends, "code": codes},
                             schema={"document": pl.Utf8, "start": pl.Int64, "end": pl.Int64, "code": pl.Utf8})
        frame = frame.unique(maintain_order=True).with_columns(pl.lit(coder).alias("coder"))
        write_frame(raw / "codings" / f"{coder}.csv", frame)


def _answer_spans(text: str, coder_index: int, rng: random.Random) -> list[tuple[int, int, str]]:
    """One coder's codes for an open answer: the careful coding, with the coder's misses and swaps."""
    truth = [(text.index(words), text.index(words) + len(words), code)
             for words, code in tx.ANSWER_CODES.get(text, [])]
    return _coder_spans(Interview("", PERIOD_START, None, None, None, text, truth), coder_index, rng)


def write_answer_sheets(raw: Path, waves_by_instrument: dict, rng: random.Random) -> None:
    """Both coders' coded sheets of every open question and wave (``answers__*.md``)."""
    from impact.coding.answers import answer_text
    from impact.coding.sheets import sheet_name, sheet_text

    for (instrument, item), question in tx.OPEN_QUESTIONS.items():
        for wave, rows in sorted(waves_by_instrument[instrument].items()):
            col = rows[0].index(item)
            answers = sorted((r[0], answer_text(r[col])) for r in rows[1:] if answer_text(r[col]))
            if not answers:
                continue
            for k, coder in enumerate(CODERS):
                blocks = [(pid, write_markup(text, _answer_spans(text, k, rng))) for pid, text in answers]
                path = raw / "codings" / coder / f"{sheet_name(instrument, item, wave)}.md"
                path.parent.mkdir(parents=True, exist_ok=True)
                text = sheet_text(instrument, item, wave, blocks, question,
                                  extra_header=(f"# synthetic: true — {tx.SYNTHETIC_NL}",))
                path.write_bytes(text.encode("utf-8"))


def codebook_yaml() -> str:
    who = {"CO1": CODERS[0], "CO2": CODERS[1]}
    lines = [f"# {tx.SYNTHETIC_NL}", "# synthetic: true", "# Het gedeelde codeboek van de demo-studie.", "codes:"]
    for c in tx.CODEBOOK:
        lines.append(f"  - code: {c['code']}")
        lines.append(f"    label: {json.dumps(c['label'], ensure_ascii=False)}")
        lines.append(f"    label_en: {json.dumps(c['label_en'], ensure_ascii=False)}")
        if c.get("parent"):
            lines.append(f"    parent: {c['parent']}")
        for key in ("definition", "when_to_use", "when_not_to_use", "example"):
            lines.append(f"    {key}: {json.dumps(c[key], ensure_ascii=False)}")
        lines.append(f"    origin: {c['origin']}")
        lines.append(f"    proposed_by: {who.get(c['proposed_by'], c['proposed_by'])}")
        lines.append(f"    date_added: {c['date_added']}")
        if c.get("aliases"):
            lines.append(f"    aliases: [{', '.join(c['aliases'])}]")
        if c.get("tags"):
            lines.append(f"    tags: [{', '.join(c['tags'])}]")
    return "\n".join(lines) + "\n"
