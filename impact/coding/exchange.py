"""Bring codings from another tool into a study, and send a study's codings out.

``import_corpus`` adds a corpus read from a REFI-QDA project or a Taguette
export to ``data/raw``: codings go to ``data/raw/codings/<name>.csv``;
documents the study does not have yet become new transcripts
(``data/raw/transcripts/<document>.txt``, a header with what is known);
memos go to ``data/raw/memos/<memo>.md``. A document the study already has
is matched to its transcript: when the tool's text differs (for example the
redacted text of an export), offsets are carried over through the parts
both texts share (``difflib``). Codes not in the codebook stop the import,
unless ``add_codes`` appends them, with their parent codes and tags, to
``codebook.yaml``. Every user of the tool must be a person of the study:
a person_id, a pseudonym of this study, or mapped with ``coder_map``;
otherwise the import stops and lists the users (``resolve_users``). A user
that is the tool itself (ATLAS.ti's "ATLAS.ti") is not a coder: its codings
go to the one person of the project, or must be mapped too. Everything is
checked before anything is written; existing files are never overwritten.

``quote_check`` is what the import shows before it writes: which position
rule was used, a sample of quotes with their code, and how many selections
start or end inside a word (the sign of an offset mistake).

Example:
    >>> to_study, similarity = offset_mapper("Ik wil [naam] werken.", "Ik wil Jan werken.")
    >>> to_study(14), to_study(20, is_end=True)
    (11, 17)
"""

from __future__ import annotations

from pathlib import Path

from impact.errors import InputError, Problem, Text
from impact.files import safe_name


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


class UnknownUsers(InputError):
    """The tool's users are not (all) persons of the study yet; ``users`` holds (name, codings)."""

    def __init__(self, text, problems, users):
        super().__init__(text, problems)
        self.users = users


def study_people(study) -> tuple[set[str], dict[str, str]]:
    """(person_ids of people.csv, pseudonym -> person_id) of ``study``."""
    from impact import registers as rg
    from impact.privacy import load_key, pseudonym

    spec = next(s for s in rg.REGISTERS if s.name == "people")
    people = rg.load_register(study.raw, spec, study.config.districts, study.root)
    ids = {r["person_id"] for r in people.records if r.get("person_id")}
    back = {}
    if ids:
        key = load_key(study)
        back = {pseudonym(pid, key): pid for pid in ids}
    return ids, back


def resolve_users(study, corpus, coder_map: dict[str, str], command: str) -> dict[str, str]:
    """Every user of ``corpus`` (codings and memo authors) -> a person_id of the study.

    A user is found as a person_id, as this study's pseudonym, or in
    ``coder_map`` (``--coder NAME=person_id``). A user that is the tool
    itself goes to the one person of the project when there is one. When a
    user is left, ``UnknownUsers`` lists them all with ``command`` and the
    ``--coder`` options to add; nothing is written.
    """
    ids, back = study_people(study)
    counts: dict[str, int] = {}
    for c in corpus.codings["coder"].to_list():
        counts[c] = counts.get(c, 0) + 1
    memo_counts: dict[str, int] = {}
    if corpus.memos is not None:
        for a in corpus.memos["author"].to_list():
            memo_counts[a] = memo_counts.get(a, 0) + 1
    tool_users = set(corpus.source.get("tool_users", [])) | {corpus.source.get("tool_name") or "tool"}
    users = sorted(set(counts) | set(memo_counts), key=lambda u: (-counts.get(u, 0), u))
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    for user in users:
        if user in coder_map:
            mapping[user] = coder_map[user]
            if ids and coder_map[user] not in ids:
                problems.append(Problem("--coder", None, user, coder_map[user], Text("een person_id uit "
                                                                                     "people.csv")))
        elif user in ids:
            mapping[user] = user
        elif user in back:
            mapping[user] = back[user]
    real = {mapping[u] for u in users if u in mapping and u not in tool_users}
    for user in users:
        if user not in mapping and user in tool_users and len(real) == 1:
            mapping[user] = next(iter(real))
    left = [u for u in users if u not in mapping]
    if problems:
        raise InputError(Text("Er is niets ingelezen: een --coder wijst niet naar een persoon."), problems)
    if left:
        def what(u, lang):
            parts = []
            if counts.get(u):
                parts.append(Text("{n} coderingen", n=counts[u])(lang))
            if memo_counts.get(u):
                parts.append(Text("{n} memo's", n=memo_counts[u])(lang))
            tool = Text(" (het programma zelf)")(lang) if u in tool_users else ""
            return f"  {u}{tool}: {', '.join(parts)}"

        options = " ".join(f'--coder "{u}=<person_id>"' for u in left)
        users = lambda lang: "\n".join(what(u, lang) for u in left)  # noqa: E731 - a value shown per language
        users.per_language = True
        raise UnknownUsers(Text(
            "Er is niets ingelezen. Wie is wie? Het project noemt deze gebruikers; geef bij elk de person_id "
            "uit people.csv:\n{users}\n\n  {command}", users=users, command=f"{command} {options}"),
            [], [(u, counts.get(u, 0)) for u in left])
    return mapping


def import_corpus(study, corpus, name: str, coder_map: dict[str, str] | None = None,
                  add_codes: bool = False, command: str | None = None) -> dict:
    """Write ``corpus`` into the raw data of ``study`` (see the module docs); returns what was written."""
    import polars as pl
    import yaml

    from impact.coding.codebook import code_lookup, load_codebook, tag_to_code, valid_code_name
    from impact.coding.memos import write_memo_file
    from impact.coding.transcripts import load_transcripts

    users = resolve_users(study, corpus, coder_map or {}, command or f"impact import ... {name}")
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
    doc_in_study: dict[str, tuple[str, object]] = {}  # tool's document -> (study's document, offset mapper)
    for doc in corpus.documents.iter_rows(named=True):
        name_in_study = doc["document"] if doc["document"] in texts else safe_name(doc["document"])
        codings = corpus.codings.filter(pl.col("document") == doc["document"])
        mapper = None
        if name_in_study in texts:
            truth = texts[name_in_study]
            if truth != doc["text"]:
                mapper, ratio = offset_mapper(doc["text"], truth)
                if ratio < 0.8:
                    problems.append(Problem(name, None, "document", doc["document"], Text("dezelfde tekst "
                                                                                          "als het "
                                                                                          "transcript "
                                                                                          "{name_in_study}; "
                                                                                          "de tekst "
                                                                                          "verschilt te veel",
                                                                                          name_in_study=name_in_study)))
                    continue
        else:
            truth = doc["text"] or ""
            target = study.raw / "transcripts" / f"{name_in_study}.txt"
            if target.exists():
                problems.append(Problem(name, None, "document", doc["document"], Text("een nieuwe naam; "
                                                                                      "{target} bestaat al "
                                                                                      "met een andere "
                                                                                      "interviewcode",
                                                                                      target=study.rel(target))))
                continue
            header = [f"interview: {name_in_study}"]
            for col in meta_cols:
                if col in ("date", "interviewer", "interviewee", "actor_type", "organisation_kind", "district",
                           "consent") and doc.get(col) is not None:
                    value = doc[col]
                    header.append(f"{col}: {'yes' if value is True else 'no' if value is False else value}")
            new_transcripts[target] = "---\n" + "\n".join(header) + "\n---\n" + truth + "\n"
        doc_in_study[doc["document"]] = (name_in_study, mapper, len(truth))
        spans = codings.select("start", "end").rows()
        mapped = [(mapper(s), mapper(e, True)) for s, e in spans] if mapper else spans
        for (s, e), rec in zip(mapped, codings.iter_rows(named=True)):
            if not 0 <= s < e <= len(truth):
                continue
            rows.append({"document": name_in_study, "start": s, "end": e, "code": code_names[rec["code"]],
                         "coder": users[rec["coder"]]})
    memos, memo_paths = _memos_for_study(study, corpus, name, doc_in_study, code_names, lookup, users, problems)
    used = sorted({r["code"] for r in rows} | {m["code"] or m["about"] for m in memos
                                                if m["about_kind"] in ("code", "coding")})
    unknown = [c for c in used if c not in lookup.values()]
    # a new code comes with the parents it has in the tool's tree (hierarchy kept)
    parents = dict(zip(corpus.codes["code"].to_list(), corpus.codes["parent"].to_list()))
    back = {v: k for k, v in code_names.items()}
    for c in list(unknown):
        parent = parents.get(back.get(c))
        while parent and code_names.get(parent) and code_names[parent] not in lookup.values() \
                and code_names[parent] not in unknown:
            unknown.append(code_names[parent])
            parent = parents.get(parent)
    bad_names = [c for c in unknown if not valid_code_name(c)]
    if bad_names:
        problems += [Problem(name, None, "code", c, Text("een codenaam zonder spaties of haken")) for c in bad_names]
    if unknown and not add_codes:
        problems += [Problem(name, None, "code", c, Text("een code uit codebook.yaml (of gebruik --add-codes "
                                                         "om nieuwe codes toe te voegen)")) for c in unknown]
    out = study.raw / "codings" / f"{safe_name(name)}.csv"
    table = pl.DataFrame(rows, schema={"document": pl.Utf8, "start": pl.Int64, "end": pl.Int64, "code": pl.Utf8,
                                       "coder": pl.Utf8}).unique(maintain_order=True)
    if out.exists() and table.height:
        problems.append(Problem(study.rel(out), None, None, None, Text("een nieuw bestand; dit bestand "
                                                                       "bestaat al. Geef het project een "
                                                                       "andere naam of haal het oude weg.")))
    if problems:
        raise InputError(Text("Er is niets ingelezen. Verbeter de punten hieronder."), problems)
    for target, text in new_transcripts.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    if unknown:
        definitions = dict(zip(corpus.codes["code"].to_list(), corpus.codes["definition"].to_list()))
        tags = dict(zip(corpus.codes["code"].to_list(), corpus.codes["tags"].to_list())) \
            if "tags" in corpus.codes.columns else {}
        entries = []
        for c in unknown:
            parent = parents.get(back.get(c))
            entry = {"code": c, "parent": code_names.get(parent) if parent else None,
                     "definition": definitions.get(back.get(c)), "origin": "inductive", "proposed_by": name,
                     "tags": list(tags.get(back.get(c)) or []) or None}
            entries.append({k: v for k, v in entry.items() if v})
        book = study.raw / "codebook.yaml"
        existing = book.read_text(encoding="utf-8") if book.exists() else "codes:\n"
        addition = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, indent=2)
        addition = "".join("  " + line + "\n" for line in addition.splitlines())
        book.write_text(existing.rstrip("\n") + f"\n  # toegevoegd bij import van {name}\n" + addition, encoding="utf-8")
    if table.height:
        out.parent.mkdir(parents=True, exist_ok=True)
        table.write_csv(out)
    written = [write_memo_file(study, m) for m in memos]
    return {"codings": table.height, "file": out if table.height else None, "transcripts": sorted(new_transcripts),
            "codes_added": unknown, "memos": written, "memos_known": memo_paths, "users": users}


def _memos_for_study(study, corpus, name, doc_in_study, code_names, lookup, users, problems) -> tuple:
    """The corpus's memos as memo records of the study (raw ids and offsets); ([new], [already there]).

    A memo whose id is already a file of the study is left alone when it
    says the same, and is a problem when it differs.
    """
    import datetime as dt

    from impact.coding.memos import memo_files, parse_memo, same_memo
    from impact.tabular import decode_bytes

    if corpus.memos is None or corpus.memos.height == 0:
        return [], []
    existing = {p.stem: p for p in memo_files(study)}
    new, known = [], []
    for m in corpus.memos.iter_rows(named=True):
        rec = dict(m, author=users[m["author"]], date=m["date"] or dt.date.today(), memo=safe_name(m["memo"]))
        if m["about_kind"] in ("document", "coding"):
            if m["about"] not in doc_in_study:
                problems.append(Problem(name, None, "memo", m["memo"], Text("een memo over een document dat "
                                                                            "meekomt; {about} komt niet mee",
                                                                            about=m['about'])))
                continue
            doc, mapper, length = doc_in_study[m["about"]]
            rec["about"] = doc
            if m["start"] is not None and mapper is not None:
                rec["start"], rec["end"] = mapper(m["start"]), mapper(m["end"], True)
            if rec["start"] is not None and not 0 <= rec["start"] < rec["end"] <= length:
                rec.update(about_kind="document", start=None, end=None, code=None)
        if m["about_kind"] == "coding":
            rec["code"] = code_names.get(m["code"], m["code"])
        if m["about_kind"] == "code":
            rec["about"] = code_names.get(m["about"], m["about"])
        if rec["memo"] in existing:
            path = existing[rec["memo"]]
            there, _ = parse_memo(decode_bytes(path.read_bytes())[0], study.rel(path), path.stem)
            if there is not None and same_memo(there, rec):
                known.append(path)
                continue
            problems.append(Problem(study.rel(path), None, "memo", rec["memo"], Text("een nieuwe memo; er is "
                                                                                     "al een andere memo met "
                                                                                     "deze naam")))
            continue
        new.append(rec)
    return new, known


# --- what an import shows before it writes ----------------------------------------------------------

def quote_check(corpus, sample: int = 8) -> dict:
    """What to show before writing: the position rule, a sample of quotes, selections cutting words.

    The sample is spread evenly over the codings (sorted by document and
    place), so the same file always shows the same quotes. ``cut`` holds
    (document, start, end, code, text with 20 characters around) of each
    coding that starts or ends inside a word.
    """
    from impact.coding.positions import clean_boundary

    codings = corpus.codings.sort("document", "start", "end", "code", "coder")
    texts = dict(zip(corpus.documents["document"].to_list(), corpus.documents["text"].to_list()))
    n = codings.height
    picks = list(range(n)) if n <= sample else sorted({round(i * (n - 1) / (sample - 1)) for i in range(sample)})
    rows = codings.select("document", "code", "coder", "text").rows()
    cut = []
    for doc, start, end, code, text in codings.select("document", "start", "end", "code", "text").iter_rows():
        whole = texts.get(doc) or ""
        if not (clean_boundary(whole, start) and clean_boundary(whole, end)):
            around = whole[max(start - 20, 0):start] + "[" + text + "]" + whole[end:end + 20]
            cut.append((doc, start, end, code, around))
    return {"sample": [rows[i] for i in picks], "codings": n, "cut": cut, "source": corpus.source}
