"""Open questionnaire answers, coded with the same codebook as the interviews.

Every open (``text``) answer is a small document of its own, next to the
interview transcripts: the same codebook, the same coders, the same
agreement check, the same quotes and the same privacy rules (redaction,
quote consent, withdrawal). Its metadata say where it comes from.

* **Document id** ``answer:<instrument>:<item>:w<wave>:<respondent>``; in
  ``data/raw`` the respondent is the person_id, in ``data/processed`` the
  pseudonym.
* **Text**: the answer, line endings LF, no blank lines (one answer is one
  paragraph, so a paragraph unit is an answer unit).
* **Metadata** (columns of the documents table): ``source_kind``
  (``answer``; interviews have ``interview``), ``instrument``, ``item``,
  ``wave``, ``date``, ``interviewee`` (the respondent: the person whose words
  these are), ``role``, ``actor_type``, ``district`` (from people),
  ``consent`` (the respondent agreed to the questionnaire).

**Coding sheet** (plain text, one per question and wave, per coder): see
``impact.coding.sheets``; ``write_coding_sheet`` writes an empty one.

REFI-QDA: ``group_answers`` turns the answers of one question and wave into
one source (blocks headed ``## <respondent>``), ``ungroup_answers`` turns
them back; ``write_qdpx_with_answers`` / ``read_qdpx_with_answers`` do both
around ``write_qdpx`` / ``read_qdpx``.

Example:
    >>> answer_document("bewoners", "verandering_tekst", 1, "R0012")
    'answer:bewoners:verandering_tekst:w1:R0012'
    >>> answer_text("Ik voel me\\r\\n\\r\\nminder alleen.")
    'Ik voel me\\nminder alleen.'
"""

from __future__ import annotations

import re
from pathlib import Path

from impact.coding.sheets import sheet_name, sheet_text
from impact.coding.sources import (SOURCE_ANSWER, SOURCE_INTERVIEW, answer_document, only_source, source_kinds,
                                   split_document)
from impact.errors import InputError, Problem, Text


QUESTION_PREFIX = "answers:"
# columns the documents table gets beside those of a transcript
EXTRA_COLUMNS = {"source_kind": "Utf8", "role": "Utf8", "instrument": "Utf8", "item": "Utf8", "wave": "Int8"}
# items of type text that are not answers people write
NOT_OPEN = {"respondent", "wave", "date", "person_id", "naam", "name"}



def answer_text(value: str | None) -> str:
    """The text of an answer: LF line endings, trimmed, blank lines removed (one paragraph)."""
    from impact.coding.transcripts import normalise_text

    text = normalise_text(str(value or ""))
    return re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n", text)


# --- which questions are open ------------------------------------------------------------------

def open_items(study) -> dict[str, dict[str, str]]:
    """The open (``text``) questions per instrument: ``{instrument: {item: question text}}``."""
    from impact.questionnaires.xlsform import read_xlsform

    out: dict[str, dict[str, str]] = {}
    folder = study.raw / "responses"
    names = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    for name in names:
        path = study.questionnaires / f"{name}.xlsx"
        if not path.is_file():
            continue
        try:
            form = read_xlsform(path, name=name)
        except InputError:
            continue  # load_study_responses reports it
        q = form.questions
        label = next((c for c in q.columns if c.startswith("label::")), None)
        items = {}
        for row in q.iter_rows(named=True):
            # an open question inside a repeat group has many answers per person and wave: not a document (yet)
            if row["type"] == "text" and row["name"] not in NOT_OPEN and not row.get("repeat"):
                items[row["name"]] = (row.get(label) or row["name"]) if label else row["name"]
        if items:
            out[name] = items
    return out


def _document_schema():
    import polars as pl

    from impact.coding.transcripts import TRANSCRIPT_SCHEMA

    schema = {k: getattr(pl, v) for k, v in TRANSCRIPT_SCHEMA.items()}
    schema.update({k: getattr(pl, v) for k, v in EXTRA_COLUMNS.items()})
    return schema


def answer_documents(responses, people, items: dict[str, dict[str, str]], consent=None):
    """One document per non-empty open answer (raw person_ids; text not redacted).

    ``responses``: the long answers table; ``people``: a table with
    person_id, role, actor_type, district (respondents not in it are left
    out: their answers are already reported); ``items``: ``open_items``;
    ``consent``: the consent table (person_id, questionnaire), or None.
    """
    import polars as pl

    schema = _document_schema()
    wanted = [(i, q) for i, qs in items.items() for q in qs]
    if responses is None or responses.height == 0 or not wanted:
        return pl.DataFrame(schema=schema)
    keys = pl.DataFrame({"instrument": [i for i, _ in wanted], "item": [q for _, q in wanted]})
    answers = (responses.join(keys, on=["instrument", "item"], how="semi")
               .filter(pl.col("value").is_not_null())
               .with_columns(pl.col("value").map_elements(answer_text, return_dtype=pl.Utf8).alias("text"))
               .filter(pl.col("text") != ""))
    meta = people.select("person_id", "role", "actor_type", "district")
    answers = answers.join(meta, left_on="respondent", right_on="person_id", how="inner")
    if consent is not None and "questionnaire" in consent.columns:
        ok = consent.select("person_id", pl.col("questionnaire").alias("consent"))
        answers = answers.join(ok, left_on="respondent", right_on="person_id", how="left")
    else:
        answers = answers.with_columns(pl.lit(None, pl.Boolean).alias("consent"))
    rows = answers.select(
        pl.format("answer:{}:{}:w{}:{}", "instrument", "item", "wave", "respondent").alias("document"),
        "date", pl.lit(None, pl.Utf8).alias("interviewer"), pl.col("respondent").alias("interviewee"),
        "actor_type", pl.lit(None, pl.Utf8).alias("organisation_kind"), "district", "consent", "text",
        pl.lit(SOURCE_ANSWER).alias("source_kind"), "role", "instrument", "item", "wave")
    return (rows.unique(subset=["document"], keep="first", maintain_order=True)
            .select([pl.col(k).cast(v) for k, v in schema.items()]).sort("document"))


def with_source_columns(transcripts, people):
    """Interview transcripts with the extra document columns (source_kind interview, role)."""
    import polars as pl

    schema = _document_schema()
    roles = people.select(pl.col("person_id").alias("interviewee"), "role")
    out = transcripts.join(roles, on="interviewee", how="left") if "role" not in transcripts.columns else transcripts
    out = out.with_columns(pl.lit(SOURCE_INTERVIEW).alias("source_kind"),
                           *[pl.lit(None).cast(getattr(pl, v)).alias(k)
                             for k, v in EXTRA_COLUMNS.items() if k not in ("source_kind", "role")])
    return out.select([pl.col(k).cast(v) for k, v in schema.items()])


def study_documents(study, transcripts, responses, people_records, consent=None):
    """Interviews and open answers as one documents table (raw ids); used by ``impact process``."""
    import polars as pl

    people = pl.DataFrame([{k: r.get(k) for k in ("person_id", "role", "actor_type", "district")}
                           for r in people_records],
                          schema={"person_id": pl.Utf8, "role": pl.Utf8, "actor_type": pl.Utf8, "district": pl.Utf8})
    interviews = with_source_columns(transcripts, people)
    answers = answer_documents(responses, people, open_items(study), consent)
    return pl.concat([interviews, answers], how="vertical")


def pseudonymise_answer_ids(documents, codings, pseudo):
    """Answer document ids with the respondent's pseudonym instead of the person_id
    (in ``documents`` and ``codings``); ``pseudo`` maps a person_id to its pseudonym."""
    import polars as pl

    def rename(doc: str) -> str:
        parts = split_document(doc)
        if parts is None:
            return doc
        return answer_document(parts["instrument"], parts["item"], parts["wave"], pseudo(parts["person"]))

    names = documents["document"].to_list()
    mapping = {d: rename(d) for d in names if d.startswith("answer:")}
    if not mapping:
        return documents, codings
    documents = documents.with_columns(pl.col("document").replace(mapping))
    if codings is not None and codings.height:
        codings = codings.with_columns(pl.col("document").replace(mapping))
    return documents, codings


# --- coding sheets ---------------------------------------------------------------------------

def coding_sheet(documents, instrument: str, item: str, wave: int, question: str | None = None,
                 person: str = "interviewee") -> str:
    """The plain-text coding sheet of one question and wave (no codes yet).

    ``documents``: a documents table with answer rows (as ``answer_documents``).
    Blocks are in the order of the person column.
    """
    import polars as pl

    rows = (documents.filter((pl.col("source_kind") == SOURCE_ANSWER) & (pl.col("instrument") == instrument)
                             & (pl.col("item") == item) & (pl.col("wave") == wave))
            .sort(person))
    if rows.height == 0:
        raise InputError(Text("Er zijn geen open antwoorden op '{item}' van '{instrument}' in meting {wave}.",
                              item=item, instrument=instrument, wave=wave))
    return sheet_text(instrument, item, wave, rows.select(person, "text").rows(), question)


def write_coding_sheet(study, instrument: str, item: str, wave: int, coder: str) -> Path:
    """Write the empty coding sheet of one question and wave for ``coder``; returns its path.

    An existing sheet is never overwritten.
    """
    from impact import registers as rg
    from impact.questionnaires import load_study_responses

    items = open_items(study)
    if item not in items.get(instrument, {}):
        known = ", ".join(f"{i} {q}" for i, qs in items.items() for q in qs) or "-"
        raise InputError(Text("'{item}' is geen open vraag van '{instrument}'. Open vragen: {known}.",
                              item=item, instrument=instrument, known=known))
    if not re.fullmatch(r"[A-Za-z0-9_-]+", coder or ""):
        raise InputError(Text("--coder '{coder}': schrijf een person_id, bijvoorbeeld BB03.", coder=coder))
    path = study.raw / "codings" / coder / f"{sheet_name(instrument, item, wave)}.md"
    if path.exists():
        raise InputError(Text("{path} bestaat al; het wordt niet overschreven.", path=study.rel(path)))
    spec = next(s for s in rg.REGISTERS if s.name == "people")
    people = rg.load_register(study.raw, spec, study.config.districts, study.root)
    responses, _ = load_study_responses(study)
    docs = study_documents(study, _no_transcripts(), responses, people.records)
    text = coding_sheet(docs, instrument, item, wave, items[instrument][item])
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return path


def _no_transcripts():
    from impact.coding.transcripts import empty_transcripts

    return empty_transcripts()


# --- corpora: group per question for REFI-QDA ------------------------------------------------

def group_answers(corpus):
    """``corpus`` with the answers of each question and wave joined into one document.

    The grouped document ``answers:<instrument>:<item>:w<wave>`` holds one
    block per answer: a line ``## <respondent>``, then the answer, blocks
    separated by a blank line. Codings move with their answer. Interviews
    stay as they are. Returns (corpus, units): ``units`` has one row per
    answer block (document, unit_id, start, end, text, kind ``answer``) plus
    the paragraphs of the interviews, for ``agreement``.
    """
    import polars as pl

    from impact.coding.corpus import Corpus

    docs = corpus.documents
    is_answer = source_kinds(docs) == SOURCE_ANSWER
    answers = docs.filter(is_answer)
    interviews = docs.filter(~is_answer)
    groups: dict[str, list[dict]] = {}
    for row in answers.sort("document").iter_rows(named=True):
        parts = split_document(row["document"])
        if parts is None:
            continue
        key = f"{QUESTION_PREFIX}{parts['instrument']}:{parts['item']}:w{parts['wave']}"
        groups.setdefault(key, []).append({**row, **parts})
    new_docs, shifts, unit_rows = [], [], []
    for key, members in groups.items():
        pieces, pos = [], 0
        for k, m in enumerate(members):
            head = f"## {m['person']}\n"
            start = pos + len(head)
            shifts.append({"document": m["document"], "_group": key, "_shift": start})
            unit_rows.append({"document": key, "unit_id": k + 1, "start": start, "end": start + len(m["text"]),
                              "text": m["text"], "kind": SOURCE_ANSWER})
            pieces.append(head + m["text"])
            pos = start + len(m["text"]) + 2
        first = members[0]
        new_docs.append({"document": key, "text": "\n\n".join(pieces), "source_kind": "answers",
                         "instrument": first["instrument"], "item": first["item"], "wave": first["wave"]})
    meta_cols = {"source_kind": pl.Utf8, "instrument": pl.Utf8, "item": pl.Utf8, "wave": pl.Int8}
    grouped = pl.DataFrame(new_docs, schema={"document": pl.Utf8, "text": pl.Utf8, **meta_cols})
    inter = interviews.select("document", "text", *[
        (pl.col(c) if c in interviews.columns else pl.lit(None)).cast(t).alias(c) for c, t in meta_cols.items()])
    all_docs = pl.concat([inter, grouped], how="vertical")
    shift = pl.DataFrame(shifts, schema={"document": pl.Utf8, "_group": pl.Utf8, "_shift": pl.Int64})
    codings = (corpus.codings.join(shift, on="document", how="left")
               .with_columns(pl.col("_group").fill_null(pl.col("document")).alias("document"),
                             (pl.col("start") + pl.col("_shift").fill_null(0)).alias("start"),
                             (pl.col("end") + pl.col("_shift").fill_null(0)).alias("end"))
               .drop("_group", "_shift"))
    out = Corpus(documents=all_docs, codes=corpus.codes, coders=corpus.coders, codings=codings,
                 name=corpus.name, problems=list(corpus.problems), source=dict(corpus.source),
                 memos=_move_memos(corpus.memos, {s["document"]: (s["_group"], s["_shift"]) for s in shifts},
                                   dict(zip(answers["document"].to_list(), answers["text"].to_list()))))
    from impact.coding.corpus import make_units

    units = pl.concat([make_units(inter, "paragraph"),
                       pl.DataFrame(unit_rows, schema={"document": pl.Utf8, "unit_id": pl.Int64, "start": pl.Int64,
                                                       "end": pl.Int64, "text": pl.Utf8, "kind": pl.Utf8})])
    return out, units


def _move_memos(memos, moves: dict, lengths: dict, back: bool = False):
    """Memos about answers moved into their question's document (``moves``: answer -> (group, shift)),
    or back (``back``: group spans -> answers). A memo about a whole answer becomes a memo about its
    passage in the group, and back again."""
    if memos is None or memos.height == 0 or not moves:
        return memos
    from impact.coding.memos import memo_table

    rows = []
    for m in memos.iter_rows(named=True):
        if m["about_kind"] in ("document", "coding"):
            if not back and m["about"] in moves:
                group, shift = moves[m["about"]]
                start, end = (m["start"], m["end"]) if m["start"] is not None else (0, len(lengths[m["about"]] or ""))
                m = dict(m, about=group, start=start + shift, end=end + shift)
            elif back:
                for doc, (group, shift, length) in moves.items():
                    if m["about"] == group and m["start"] is not None and shift <= m["start"] \
                            and m["end"] <= shift + length:
                        whole = m["about_kind"] == "document" and (m["start"], m["end"]) == (shift, shift + length)
                        m = dict(m, about=doc, start=None if whole else m["start"] - shift,
                                 end=None if whole else m["end"] - shift)
                        break
        rows.append(m)
    return memo_table(rows) if rows else memos.clear()


def ungroup_answers(corpus, documents=None):
    """The inverse of ``group_answers``: one document per answer again.

    A document named ``answers:<instrument>:<item>:w<wave>`` is cut at its
    ``## <respondent>`` lines. ``documents`` (the study's documents table)
    gives the answers back their metadata; without it they get
    source_kind, instrument, item and wave only. A coding that crosses two
    answers, or lies on a ``##`` line, is reported in ``corpus.problems``
    and left out.
    """
    import polars as pl

    from impact.coding.corpus import Corpus

    docs = corpus.documents
    grouped = docs.filter(pl.col("document").str.starts_with(QUESTION_PREFIX))
    rest = docs.filter(~pl.col("document").str.starts_with(QUESTION_PREFIX))
    new_docs, spans, problems = [], [], list(corpus.problems)
    for name, text in grouped.select("document", "text").iter_rows():
        m = re.match(r"^answers:([^:]+):([^:]+):w(\d+)$", name)
        if not m:
            problems.append(Problem(name, None, "document", name, Text("een naam als "
                                                                       "answers:<vragenlijst>:<vraag>:w<meting>")))
            continue
        instrument, item, wave = m.group(1), m.group(2), int(m.group(3))
        heads = [(h.start(), h.end(), h.group(1)) for h in re.finditer(r"^##[ \t]+(\S+)[ \t]*(?:\n|$)", text or "", re.M)]
        for k, (_hs, he, person) in enumerate(heads):
            end = heads[k + 1][0] if k + 1 < len(heads) else len(text)
            body = text[he:end]
            stripped = body.rstrip("\n")
            doc = answer_document(instrument, item, wave, person)
            new_docs.append({"document": doc, "text": stripped, "source_kind": SOURCE_ANSWER,
                             "instrument": instrument, "item": item, "wave": wave})
            spans.append({"_group": name, "_from": he, "_to": he + len(stripped), "_doc": doc})
    span = pl.DataFrame(spans, schema={"_group": pl.Utf8, "_from": pl.Int64, "_to": pl.Int64, "_doc": pl.Utf8})
    codings = corpus.codings
    inside = (codings.join(span, left_on="document", right_on="_group", how="inner")
              .filter((pl.col("start") >= pl.col("_from")) & (pl.col("end") <= pl.col("_to"))))
    in_group = codings.filter(pl.col("document").is_in(grouped["document"].to_list()))
    lost = in_group.height - inside.height
    if lost:
        problems.append(Problem(corpus.name, None, "start", str(lost), Text("coderingen binnen één antwoord; "
                                                                            "deze vallen over een grens of "
                                                                            "op een ## regel en tellen niet "
                                                                            "mee")))
    moved = inside.select(pl.col("_doc").alias("document"), (pl.col("start") - pl.col("_from")).alias("start"),
                          (pl.col("end") - pl.col("_from")).alias("end"), "code", "coder")
    kept = codings.filter(~pl.col("document").is_in(grouped["document"].to_list())).select(
        "document", "start", "end", "code", "coder")
    answer_docs = pl.DataFrame(new_docs, schema={"document": pl.Utf8, "text": pl.Utf8, "source_kind": pl.Utf8,
                                                 "instrument": pl.Utf8, "item": pl.Utf8, "wave": pl.Int8})
    if documents is not None:
        known = documents.drop("text", strict=False)
        answer_docs = answer_docs.select("document", "text").join(known, on="document", how="left")
    all_docs = pl.concat([rest, answer_docs], how="diagonal_relaxed")
    out = Corpus.from_tables(all_docs, pl.concat([kept, moved]), codes=corpus.codes, coders=corpus.coders,
                             name=corpus.name)
    out.problems = problems
    out.source = dict(corpus.source)
    out.memos = _move_memos(corpus.memos, {s["_doc"]: (s["_group"], s["_from"], s["_to"] - s["_from"])
                                           for s in spans}, {}, back=True)
    return out


def write_qdpx_with_answers(corpus, path, per: str = "question", positions=None):
    """``write_qdpx`` with the answers as one source per question and wave (``per="question"``)
    or one source per answer with its metadata as variables (``per="answer"``)."""
    from impact.coding.qdpx import write_qdpx

    if per not in ("question", "answer"):
        raise InputError(Text("per='{per}': kies question of answer.", per=per))
    if per == "answer":
        return write_qdpx(corpus, path, positions=positions)
    grouped, _ = group_answers(corpus)
    return write_qdpx(grouped, path, positions=positions)


def read_qdpx_with_answers(path, documents=None, strict: bool = True, positions=None):
    """``read_qdpx``, with sources written per question cut back into one document per answer."""
    from impact.coding.qdpx import read_qdpx

    return ungroup_answers(read_qdpx(path, strict=strict, positions=positions), documents)


def agreement_with_answers(corpus, unit: str = "paragraph", coders=None, source_kind: str | None = None):
    """``agreement`` over interviews and answers alike.

    Interviews are cut into ``unit`` (paragraph, turn, document); each
    answer is one unit. The answers of one question and wave are one
    document for this purpose, so a coder who coded the sheet but gave an
    answer no code counts as "no" for that answer (not as missing).
    ``source_kind`` limits it to interviews or answers.
    """
    import polars as pl

    from impact.coding.reliability import agreement

    part = only_source(corpus, source_kind)
    grouped, units = group_answers(part)
    if unit != "paragraph":
        from impact.coding.corpus import make_units

        inter = grouped.documents.filter(~pl.col("document").str.starts_with(QUESTION_PREFIX))
        units = pl.concat([make_units(inter, unit), units.filter(pl.col("kind") == SOURCE_ANSWER)])
    return agreement(grouped, unit=units, coders=coders)


def agreement_of(tables):
    """``agreement_with_answers`` of the corpus of ``tables`` (paragraphs, every coder): worked out once for
    all processes of a build (``Tables.shared``), as the report on coding and the key figures both show it.

    Example (in a notebook)::

        agree = coding.agreement_of(tables)
    """
    from impact.coding.corpus import Corpus

    return tables.shared("agreement_with_answers", lambda: agreement_with_answers(Corpus.of(tables)))


# --- import from another tool ------------------------------------------------------------------

def import_answer_codings(study, corpus, name: str, coder_map: dict[str, str] | None = None) -> dict:
    """Write the answer codings of ``corpus`` (one document per answer, pseudonyms or person_ids)
    to ``data/raw/codings/<name>__antwoorden.csv``; returns what was written.

    Respondents are matched by person_id or by pseudonym (the study's key);
    when the tool's text differs from the raw answer (the export is
    redacted), offsets are carried over through the shared text. Nothing
    is written when something does not fit.
    """
    import polars as pl

    from impact import registers as rg
    from impact.coding.exchange import offset_mapper
    from impact.files import safe_name
    from impact.privacy import load_key, pseudonym
    from impact.questionnaires import load_study_responses

    coder_map = coder_map or {}
    spec = next(s for s in rg.REGISTERS if s.name == "people")
    people = rg.load_register(study.raw, spec, study.config.districts, study.root)
    responses, _ = load_study_responses(study)
    raw_docs = study_documents(study, _no_transcripts(), responses, people.records)
    texts = dict(zip(raw_docs["document"].to_list(), raw_docs["text"].to_list()))
    key = load_key(study)
    back = {pseudonym(r["person_id"], key): r["person_id"] for r in people.records}
    coder_back = dict(back)
    problems, rows = [], []
    answers = only_source(corpus, SOURCE_ANSWER)
    for doc, text in answers.documents.select("document", "text").iter_rows():
        parts = split_document(doc)
        if parts is None:
            continue
        person = back.get(parts["person"], parts["person"])
        raw_id = answer_document(parts["instrument"], parts["item"], parts["wave"], person)
        if raw_id not in texts:
            problems.append(Problem(name, None, "document", doc, Text("een open antwoord dat in de studie "
                                                                      "staat")))
            continue
        truth = texts[raw_id]
        codings = answers.codings.filter(pl.col("document") == doc)
        if truth == text:
            mapped = codings.select("start", "end").rows()
        else:
            mapper, _ = offset_mapper(text or "", truth)
            mapped = [(mapper(s), mapper(e, True)) for s, e in codings.select("start", "end").rows()]
        for (s, e), rec in zip(mapped, codings.iter_rows(named=True)):
            if 0 <= s < e <= len(truth):
                coder = coder_map.get(rec["coder"], coder_back.get(rec["coder"], rec["coder"]))
                rows.append({"document": raw_id, "start": s, "end": e, "code": rec["code"], "coder": coder})
    out = study.raw / "codings" / f"{safe_name(name)}__antwoorden.csv"
    if out.exists():
        problems.append(Problem(study.rel(out), None, None, None, Text("een nieuw bestand; dit bestand "
                                                                       "bestaat al")))
    if problems:
        raise InputError(Text("Er is niets ingelezen. Verbeter de punten hieronder."), problems)
    table = pl.DataFrame(rows, schema={"document": pl.Utf8, "start": pl.Int64, "end": pl.Int64, "code": pl.Utf8,
                                       "coder": pl.Utf8}).unique(maintain_order=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    table.write_csv(out)
    return {"codings": table.height, "file": out}


# --- crossing coded answers with closed answers ----------------------------------------------

def _crossed(corpus, responses, item: str, instrument: str | None, wave: int | None, coders):
    """Answers (one row each) with the crossing value and the set of codes coders gave them."""
    import polars as pl

    part = only_source(corpus, SOURCE_ANSWER)
    docs = part.documents
    if instrument is not None:
        docs = docs.filter(pl.col("instrument") == instrument)
    docs = docs.select("document", pl.col("interviewee").alias("respondent"), "instrument", "wave",
                       *[c for c in ("role", "actor_type", "district") if c in docs.columns])
    if item in ("wave", "role", "actor_type", "district") and item in docs.columns:
        values = docs.with_columns(pl.col(item).cast(pl.Utf8).alias("value"))
    else:
        if responses is None:
            raise InputError(Text("Voor '{item}' is de tabel met antwoorden (responses) nodig.", item=item))
        closed = responses.filter(pl.col("item") == item)
        if closed.height == 0:
            raise InputError(Text("Er zijn geen antwoorden op de vraag '{item}'.", item=item))
        closed = closed.select("respondent", pl.col("instrument").alias("_instrument"),
                               pl.col("wave").cast(pl.Int8).alias("_wave"), pl.col("value").cast(pl.Utf8))
        if wave is not None:  # the closed answer of one wave, for every open answer of the person
            closed = closed.filter(pl.col("_wave") == wave).unique(subset=["respondent"], keep="first")
            values = docs.join(closed.select("respondent", "value"), on="respondent", how="left")
        else:  # the closed answer given in the same questionnaire as the open answer
            values = docs.join(closed, left_on=["respondent", "instrument", "wave"],
                               right_on=["respondent", "_instrument", "_wave"], how="left")
    values = values.filter(pl.col("value").is_not_null())
    cod = part.codings
    if coders is not None:
        cod = cod.filter(pl.col("coder").is_in(list(coders)))
    codes = cod.select("document", "code").unique().join(values.select("document"), on="document", how="semi")
    return values, codes


def codes_by_closed_answer(corpus, responses=None, item: str = "ladder", *, instrument: str | None = None,
                           wave: int | None = None, coders=None):
    """Coded open answers crossed with a closed answer of the same respondent.

    ``item``: a closed question (``ladder``: the Participatieladder step),
    answered in the same questionnaire and wave as the open answer, or in
    ``wave`` when given; or a column of the answers themselves (``wave``,
    ``role``, ``district``). Observations are open answers (a person who
    answered in two waves counts twice). A code counts when any of
    ``coders`` (default: any coder) gave it to the answer.

    Returns code, value, answers (open answers with this value),
    with_code, share.
    """
    import polars as pl

    values, codes = _crossed(corpus, responses, item, instrument, wave, coders)
    per_value = values.group_by("value").agg(pl.len().cast(pl.Int64).alias("answers"))
    hits = (codes.join(values.select("document", "value"), on="document", how="inner")
            .group_by("code", "value").agg(pl.len().cast(pl.Int64).alias("with_code")))
    all_codes = codes.select("code").unique()
    grid = all_codes.join(per_value, how="cross")
    return (grid.join(hits, on=["code", "value"], how="left")
            .with_columns(pl.col("with_code").fill_null(0))
            .with_columns((pl.col("with_code") / pl.col("answers")).round(3).alias("share"))
            .select("code", "value", "answers", "with_code", "share")
            .sort("code", pl.col("value").cast(pl.Int64, strict=False), "value"))


TOO_FEW = Text("te weinig antwoorden voor een toets")


def closed_answer_tests(corpus, responses=None, item: str = "ladder", *, instrument: str | None = None,
                        wave: int | None = None, coders=None, min_expected: float = 5.0):
    """Per code: is mentioning it associated with the closed answer? A test only where the numbers allow.

    The table per code is 2 x k (answer has the code or not, by value).
    With two values: Fisher's exact test (exact, fine for small numbers;
    ``statistic`` is the odds ratio). With more values: Pearson's
    chi-square (``impact.questionnaires.crosstab_test``, pingouin), but only
    when at most 20% of the expected counts are below ``min_expected`` and
    none below 1 (Cochran's rule); otherwise no p-value and the note says
    there are too few answers. A code nobody or everybody got is not tested.

    Returns code, n, with_code, values, test (fisher / chi2 / none),
    statistic, p, cramer_v, note_nl, note_en.

    Notes:
        Fisher, R. A. (1922). On the interpretation of chi-square from contingency tables.
        Cochran, W. G. (1954). Some methods for strengthening the common chi-square tests.
        Biometrics, 10(4), 417-451.
    """
    import numpy as np
    import polars as pl
    from scipy.stats import fisher_exact

    from impact.questionnaires import crosstab_test

    values, codes = _crossed(corpus, responses, item, instrument, wave, coders)
    out = []
    n = values.height
    levels = sorted(values["value"].unique().to_list())
    for code in sorted(codes["code"].unique().to_list()):
        has = set(codes.filter(pl.col("code") == code)["document"].to_list())
        data = values.select(pl.col("document").is_in(sorted(has)).cast(pl.Utf8).alias("has_code"), "value")
        k = int((data["has_code"] == "true").sum())
        row = {"code": code, "n": n, "with_code": k, "values": len(levels), "test": "none", "statistic": None,
               "p": None, "cramer_v": None, "note_nl": None, "note_en": None}
        if len(levels) < 2 or k == 0 or k == n:
            row["note_nl"], row["note_en"] = "te weinig verschil om te toetsen", "too little variation to test"
        else:
            table = np.array([[int(((data["has_code"] == h) & (data["value"] == v)).sum()) for v in levels]
                              for h in ("true", "false")])
            expected = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / n
            if len(levels) == 2:
                odds, p = fisher_exact(table)
                row.update(test="fisher", statistic=float(odds), p=float(p))
            elif (expected < min_expected).mean() > 0.2 or expected.min() < 1:
                row["note_nl"], row["note_en"] = TOO_FEW("nl"), TOO_FEW("en")
            else:
                res = crosstab_test(data, "has_code", "value", correction=False).row(0, named=True)
                row.update(test="chi2", statistic=res["chi2"], p=res["p"], cramer_v=res["cramer_v"])
        out.append(row)
    schema = {"code": pl.Utf8, "n": pl.Int64, "with_code": pl.Int64, "values": pl.Int64, "test": pl.Utf8,
              "statistic": pl.Float64, "p": pl.Float64, "cramer_v": pl.Float64, "note_nl": pl.Utf8, "note_en": pl.Utf8}
    return pl.DataFrame(out, schema=schema, orient="row") if out else pl.DataFrame(schema=schema)
