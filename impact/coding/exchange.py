"""Bring codings from another tool into a study, and send a study's codings out.

``import_corpus`` adds a corpus read from a REFI-QDA project or a Taguette
export to ``data/raw``: codings go to ``data/raw/codings/<name>.csv``;
documents the study does not have yet become new transcripts
(``data/raw/transcripts/<document>.txt``, a header with what is known). A
document the study already has is matched to its transcript: when the
tool's text differs (for example the redacted text of an export), offsets
are carried over through the parts both texts share (``difflib``). Codes
not in the codebook stop the import, unless ``add_codes`` appends them to
``codebook.yaml``. Everything is checked before anything is written;
existing files are never overwritten.

Example:
    >>> safe_name("../../etc/passwd")
    'etc_passwd'
"""

from __future__ import annotations

import re
from pathlib import Path

from impact.errors import InputError, Problem, Text


def safe_name(name: str) -> str:
    """A document or file name that stays inside its folder."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(name)).strip("._")
    return cleaned or "document"


def offset_mapper(source: str, target: str):
    """A function mapping offsets in ``source`` to offsets in ``target`` (shared parts exact)."""
    import bisect
    import difflib

    matcher = difflib.SequenceMatcher(None, source, target, autojunk=False)
    ops = matcher.get_opcodes()
    starts = [op[1] for op in ops]

    def map_offset(pos: int, is_end: bool = False) -> int:
        i = max(bisect.bisect_right(starts, pos) - 1, 0)
        tag, a0, a1, b0, b1 = ops[i]
        if tag == "equal":
            return b0 + (pos - a0)
        if pos == a0:
            return b0
        return b1 if is_end else b0

    return map_offset, matcher.ratio()


def import_corpus(study, corpus, name: str, coder_map: dict[str, str] | None = None,
                  add_codes: bool = False) -> dict:
    """Write ``corpus`` into the raw data of ``study`` (see the module docs); returns what was written."""
    import polars as pl
    import yaml

    from impact.coding.codebook import code_lookup, load_codebook, valid_code_name
    from impact.coding.taguette import tag_to_code
    from impact.coding.transcripts import load_transcripts

    coder_map = coder_map or {}
    transcripts, _ = load_transcripts(study)
    codebook, _ = load_codebook(study)
    texts = dict(zip(transcripts["document"].to_list(), transcripts["text"].to_list()))
    lookup = code_lookup(codebook)
    problems: list[Problem] = []
    new_transcripts: dict[Path, str] = {}
    rows = []
    meta_cols = [c for c in corpus.documents.columns if c not in ("document", "text")]
    code_names = {c: (lookup.get(c.lower()) or lookup.get(tag_to_code(c)) or tag_to_code(c.replace("/", "_")))
                  for c in corpus.codes["code"].to_list()}
    for doc in corpus.documents.iter_rows(named=True):
        name_in_study = doc["document"] if doc["document"] in texts else safe_name(doc["document"])
        codings = corpus.codings.filter(pl.col("document") == doc["document"])
        if name_in_study in texts:
            truth = texts[name_in_study]
            if truth == doc["text"]:
                mapped = codings.select("start", "end").rows()
            else:
                mapper, ratio = offset_mapper(doc["text"], truth)
                if ratio < 0.8:
                    problems.append(Problem(name, None, "document", doc["document"], Text(
                        f"dezelfde tekst als het transcript {name_in_study}; de tekst verschilt te veel",
                        f"the same text as the transcript {name_in_study}; the text differs too much")))
                    continue
                mapped = [(mapper(s), mapper(e, True)) for s, e in codings.select("start", "end").rows()]
        else:
            truth = doc["text"] or ""
            mapped = codings.select("start", "end").rows()
            target = study.raw / "transcripts" / f"{name_in_study}.txt"
            if target.exists():
                problems.append(Problem(name, None, "document", doc["document"], Text(
                    f"een nieuwe naam; {study.rel(target)} bestaat al met een andere interviewcode",
                    f"a new name; {study.rel(target)} already exists with another interview id")))
                continue
            header = [f"interview: {name_in_study}"]
            for col in meta_cols:
                if col in ("date", "interviewer", "interviewee", "actor_type", "organisation_kind", "district",
                           "consent") and doc.get(col) is not None:
                    value = doc[col]
                    header.append(f"{col}: {'yes' if value is True else 'no' if value is False else value}")
            new_transcripts[target] = "---\n" + "\n".join(header) + "\n---\n" + truth + "\n"
        for (s, e), rec in zip(mapped, codings.iter_rows(named=True)):
            if not 0 <= s < e <= len(truth):
                continue
            rows.append({"document": name_in_study, "start": s, "end": e, "code": code_names[rec["code"]],
                         "coder": coder_map.get(rec["coder"], rec["coder"])})
    used = sorted({r["code"] for r in rows})
    unknown = [c for c in used if c not in lookup.values()]
    bad_names = [c for c in unknown if not valid_code_name(c)]
    if bad_names:
        problems += [Problem(name, None, "code", c, Text("een codenaam zonder spaties of haken",
                                                        "a code name without spaces or brackets")) for c in bad_names]
    if unknown and not add_codes:
        problems += [Problem(name, None, "code", c, Text(
            "een code uit codebook.yaml (of gebruik --add-codes om nieuwe codes toe te voegen)",
            "a code from codebook.yaml (or use --add-codes to add new codes)")) for c in unknown]
    out = study.raw / "codings" / f"{safe_name(name)}.csv"
    table = pl.DataFrame(rows, schema={"document": pl.Utf8, "start": pl.Int64, "end": pl.Int64, "code": pl.Utf8,
                                       "coder": pl.Utf8}).unique(maintain_order=True)
    if out.exists():
        problems.append(Problem(study.rel(out), None, None, None, Text(
            "een nieuw bestand; dit bestand bestaat al. Geef het project een andere naam of haal het oude weg.",
            "a new file; this file already exists. Rename the project or remove the old file.")))
    if problems:
        raise InputError(Text("Er is niets ingelezen. Verbeter de punten hieronder.",
                              "Nothing was imported. Fix the points below."), problems)
    for target, text in new_transcripts.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    if unknown:
        parents = dict(zip(corpus.codes["code"].to_list(), corpus.codes["parent"].to_list()))
        definitions = dict(zip(corpus.codes["code"].to_list(), corpus.codes["definition"].to_list()))
        back = {v: k for k, v in code_names.items()}
        entries = []
        for c in unknown:
            parent = parents.get(back.get(c))
            entry = {"code": c, "parent": code_names.get(parent) if parent else None,
                     "definition": definitions.get(back.get(c)), "origin": "inductive", "proposed_by": name}
            entries.append({k: v for k, v in entry.items() if v})
        book = study.raw / "codebook.yaml"
        existing = book.read_text(encoding="utf-8") if book.exists() else "codes:\n"
        addition = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, indent=2)
        addition = "".join("  " + line + "\n" for line in addition.splitlines())
        book.write_text(existing.rstrip("\n") + f"\n  # toegevoegd bij import van {name}\n" + addition, encoding="utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    table.write_csv(out)
    return {"codings": table.height, "file": out, "transcripts": sorted(new_transcripts), "codes_added": unknown}
