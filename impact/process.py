"""``impact process``: raw inputs -> tidy parquet tables in ``data/processed``.

One pass reads and checks every raw input (the same pass ``impact validate``
runs), pseudonymises every person, removes people who withdrew consent,
redacts free text, and writes one parquet file per table. Files are written
to a staging folder first and then moved into place, so a crash leaves the
previous files. Rejected rows go to the ``quarantine`` table with their
reason. Processing the same raw data twice gives byte-identical files.

Example (on a fresh demo study):
    >>> import tempfile, impact
    >>> root = impact.make_demo(tempfile.mkdtemp())              # doctest: +SKIP
    >>> result = process_study(impact.Study.load(root))          # doctest: +SKIP
    >>> sorted(result.tables)[:3]                                # doctest: +SKIP
    ['activities', 'attendance', 'codebook']
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from impact.errors import Problem, Text
from impact.files import private_folder
from impact.study import Study


@dataclass
class Collected:
    """Everything read from ``data/raw`` in one pass."""

    registers: dict = field(default_factory=dict)      # name -> registers.Loaded
    consent: object = None                              # polars DataFrame or None
    responses: object = None
    transcripts: object = None
    codebook: object = None
    codings: object = None
    member_checks: object = None
    memos: object = None
    theory: dict | None = None                          # theory_steps, theory_arrows (impact.theory)
    redact_always: list = field(default_factory=list)
    redact_keep: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_tables: list[str] = field(default_factory=list)  # table name per problem

    def add(self, table: str, problems) -> None:
        for p in problems:
            self.problems.append(p)
            self.problem_tables.append(table)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def collect(study: Study, progress=None, steps: "StepCache | None" = None) -> Collected:
    """Read and check every raw input of ``study`` (nothing is written).

    ``steps``: results of earlier runs to reuse for inputs that did not change
    (``impact process`` passes one; ``impact validate`` reads everything).
    """
    from impact import registers as rg

    out = Collected()
    step = progress or (lambda label: None)
    run = steps.run if steps is not None else (lambda name, inputs, compute, after=(): compute())
    districts = study.config.districts
    step(Text("registers lezen"))
    for spec in rg.REGISTERS:
        out.registers[spec.name] = run(f"register-{spec.name}", [f"data/raw/{spec.name}.*"],
                                       lambda spec=spec: rg.load_register(study.raw, spec, districts, study.root))
    # a person whose row has an error (say, a typo in the district) still exists:
    # references to them are not errors too
    people_ids = {key[0] for key in out.registers["people"].keys_seen}
    rg.check_references(out.registers, people_ids)
    for name, item in out.registers.items():
        out.add(name, item.problems)

    step(Text("toestemmingen lezen"))
    from impact.privacy import load_consent, load_redaction_rules

    out.consent, problems = run("consent", ["data/raw/consent.*"], lambda: load_consent(study))
    out.add("consent", problems)

    *rules, problems = run("redaction_rules", ["data/raw/redaction_rules.*"],
                           lambda: load_redaction_rules(study))
    out.redact_always, out.redact_keep = rules
    out.add("redaction_rules", problems)

    step(Text("vragenlijsten lezen"))
    from impact.questionnaires import load_study_responses

    out.responses, problems = run("responses", ["questionnaires/*.xlsx", "data/raw/responses/**/*"],
                                  lambda: load_study_responses(study))
    out.add("responses", problems)

    step(Text("interviews en codes lezen"))
    from impact.coding import load_codebook, load_codings, load_transcripts

    out.transcripts, problems = run("transcripts", ["data/raw/transcripts/**/*"], lambda: load_transcripts(study))
    out.add("transcripts", problems)
    out.codebook, problems = run("codebook", ["data/raw/codebook.*"], lambda: load_codebook(study))
    out.add("codebook", problems)
    from impact.coding.answers import study_documents

    # open questionnaire answers are coded like interviews: one document each, beside the transcripts
    # (their questions come from the forms, read with the answers: the "responses" step)
    transcripts = out.transcripts
    out.transcripts = run("documents", [], lambda: study_documents(
        study, transcripts, out.responses, out.registers["people"].records, out.consent),
        after=("register-people", "consent", "responses", "transcripts"))
    documents = ("documents",)
    if steps is not None:  # one changed file of codings: only that file is read again
        out.codings, problems = steps.run_per_file(
            "codings", "data/raw/codings", lambda reuse: load_codings(study, out.transcripts, out.codebook, reuse),
            after=(*documents, "codebook"))
    else:
        out.codings, problems = load_codings(study, out.transcripts, out.codebook)
    out.add("codings", problems)
    from impact.membercheck import read_member_checks

    out.member_checks, problems = run("member_checks", ["data/raw/member_checks.*"],
                                      lambda: read_member_checks(study, out.transcripts), after=documents)
    out.add("member_checks", problems)
    from impact.coding.codebook import code_lookup
    from impact.figures import value_per
    from impact.theory import load_theory

    out.theory, problems = run("theory", ["data/raw/theory_of_change.*", "questionnaires/*.xlsx"],
                               lambda: load_theory(study, codes=code_lookup(out.codebook), figures=value_per()),
                               after=("codebook",))
    out.add("theory_steps", problems)
    from impact.coding.memos import load_memos

    out.memos, problems = run("memos", ["data/raw/memos/**/*", "data/raw/theory_of_change.*"],
                              lambda: load_memos(study, out.transcripts, out.codebook, out.codings, people_ids),
                              after=(*documents, "codebook", "codings"))
    out.add("memos", problems)
    _check_person_columns(out, people_ids)
    return out


def _check_person_columns(out: Collected, people_ids: set[str]) -> None:
    """Transcripts, answers and codings must name people from the register."""
    import polars as pl

    checks = [("transcripts", "transcripts", ["interviewer", "interviewee"]),
              ("responses", "responses", ["respondent"]),
              ("codings", "codings", ["coder"])]
    for attr, table, cols in checks:
        df = getattr(out, attr)
        if df is None or df.height == 0:
            continue
        bad = pl.lit(False)
        for c in cols:
            if c in df.columns:
                bad = bad | (pl.col(c).is_not_null() & ~pl.col(c).is_in(sorted(people_ids)))
        flagged = df.filter(bad)
        if flagged.height == 0:
            continue
        for rec in flagged.head(200).iter_rows(named=True):
            col = next(c for c in cols if rec.get(c) is not None and rec[c] not in people_ids)
            where = rec.get("document") or rec.get("instrument") or table
            out.add(table, [Problem(f"data/raw ({table}: {where})", None, col, rec[col], Text("een person_id "
                                                                                              "uit people.csv"))])
        setattr(out, attr, df.filter(~bad))


def validate_study(study: Study, progress=None) -> list[Problem]:
    """Every problem in the raw inputs of ``study`` (errors and warnings)."""
    return collect(study, progress).problems


@dataclass
class ProcessResult:
    tables: dict[str, int]           # table -> rows written
    quarantined: int
    withdrawn: dict[str, int]        # table -> rows removed because consent was withdrawn
    redactions: int
    problems: list[Problem]
    written: list[str] = field(default_factory=list)  # tables whose file changed
    reused: list[str] = field(default_factory=list)   # steps of collect whose raw inputs did not change
    read_again: dict[str, list[str]] = field(default_factory=dict)  # per-file steps: the files read again
    kept: list[str] = field(default_factory=list)     # tables not made again: their inputs did not change


def process_study(study: Study, progress=None) -> ProcessResult:
    """Turn ``data/raw`` into ``data/processed/*.parquet`` (see module docs)."""
    import polars as pl

    from impact import registers as rg
    from impact.privacy import Redactor, load_key, pseudonym, withdrawn_ids

    step = progress or (lambda label: None)
    steps = StepCache(study)
    got = collect(study, progress, steps)
    key = load_key(study)
    memo: dict[str, str] = {}

    def pseudo(pid: str) -> str:
        if pid not in memo:
            memo[pid] = pseudonym(pid, key)
        return memo[pid]

    withdrawn = withdrawn_ids(got.consent) if got.consent is not None else set()
    gone = {pseudo(w) for w in withdrawn}
    tables: dict[str, pl.DataFrame] = {}
    removed: dict[str, int] = {}
    n_redactions = 0

    people_raw = got.registers["people"].records
    redactor_keep = list(got.redact_keep) + list(study.config.districts)
    private_cols = ("person_id", "name", "name_variants", "phone", "email", "address")
    # built on first use: when every text is in the redaction cache, its regexes (seconds for a
    # large register) are never compiled
    redactor = _BuiltWhenUsed(lambda: Redactor.from_register(
        got.registers["people"].frame.select(private_cols), always=got.redact_always, keep=redactor_keep))
    redaction = _redaction_fingerprint(people_raw, got.redact_always, redactor_keep)
    cache = RedactionCache(study, redaction)
    secret = hashlib.sha256(b"impact process: tables made with this key\0" + key).hexdigest()
    # A table whose inputs (steps of collect, the pseudonym key, the redaction) are those of the table on
    # disk is not made again: its file, rows and counts stay (``StepCache.kept_table``).
    kept: dict[str, dict] = {}

    def reuse(table: str, after: tuple[str, ...], *extra: str) -> bool:
        nonlocal n_redactions
        meta = steps.kept_table(table, steps.table_key(table, after, *extra))
        if meta is None:
            return False
        kept[table] = meta
        n_redactions += meta.get("redactions", 0)
        if meta.get("removed"):
            removed[table] = meta["removed"]
        return True

    def made(table: str, frame, after: tuple[str, ...], *extra: str, removed_rows: int = 0, redactions: int = 0):
        nonlocal n_redactions
        tables[table] = frame
        n_redactions += redactions
        if removed_rows:
            removed[table] = removed_rows
        steps.remember_table(table, steps.table_key(table, after, *extra),
                             {"removed": removed_rows, "redactions": redactions, "rows": frame.height})

    step(Text("pseudoniemen maken"))
    free_text = {"msc_stories": ("story", "panel_reasons"), "goals": ("goal",)}  # redacted columns
    for name, item in got.registers.items():
        after, extra = (f"register-{name}", "consent"), (secret, redaction if name in free_text else "")
        if reuse(name, after, *extra):
            continue
        frame = rg.to_frame(item, pseudo, drop_persons=withdrawn)
        count = 0
        for col in free_text.get(name, ()):
            if col in frame.columns:
                frame, n = _redact_column(frame, col, redactor, cache=cache)
                count += n
        made(name, frame, after, *extra, removed_rows=item.frame.height - frame.height, redactions=count)

    if got.consent is not None and not reuse("consent", ("consent",), secret):
        # a withdrawn person leaves no row behind, not even in the consent table
        made("consent", _pseudo_cols(got.consent.filter(~pl.col("person_id").is_in(sorted(withdrawn))),
                                     ["person_id"], pseudo).rename({"person_id": "person"}), ("consent",), secret)

    step(Text("namen en nummers weglakken"))
    maps: dict = {}
    transcripts, codings = got.transcripts, got.codings
    if transcripts is not None and transcripts.height:
        texts = []
        for doc, red in zip(transcripts["document"], redact_many(redactor, transcripts["text"].to_list(), cache)):
            n_redactions += len(red.findings)
            texts.append(red.text)
            maps[doc] = red
        transcripts = transcripts.with_columns(pl.Series("text", texts))
        if codings is not None and codings.height:
            from impact.membercheck import apply_member_checks

            # interviewees' answers first: a withdrawn quote loses its text, a changed one gets theirs
            codings = apply_member_checks(codings, got.member_checks)
            # no consent for quotes: the coding counts, its words are never shown
            from impact.privacy import consented_ids

            may_quote = consented_ids(got.consent, "quotes") if got.consent is not None else set()
            no_quotes = transcripts.filter(~pl.col("interviewee").is_in(sorted(may_quote)))["document"]
            blocked = pl.col("document").is_in(no_quotes.to_list())
            codings = codings.with_columns(
                pl.when(blocked).then(False).otherwise(pl.col("quotable")).alias("quotable"),
                pl.when(blocked).then(None).otherwise(pl.col("text")).alias("text"))
            starts, ends = _mapped_spans(codings, maps)
            codings = codings.with_columns(pl.Series("start", starts, pl.Int64), pl.Series("end", ends, pl.Int64))
            codings = codings.with_columns(_quotes(codings, transcripts, redactor))
        transcripts = _pseudo_cols(transcripts, ["interviewer", "interviewee"], pseudo)
        from impact.coding.answers import pseudonymise_answer_ids

        transcripts, codings = pseudonymise_answer_ids(transcripts, codings, pseudo)
        before = transcripts.height
        dropped_docs = transcripts.filter(pl.col("interviewee").is_in(sorted(gone)))["document"].to_list()
        transcripts = transcripts.filter(~pl.col("interviewee").is_in(sorted(gone)))
        if before - transcripts.height:
            removed["transcripts"] = before - transcripts.height
        tables["transcripts"] = transcripts
        if codings is not None:
            before = codings.height
            codings = _pseudo_cols(codings, ["coder"], pseudo).filter(~pl.col("document").is_in(dropped_docs))
            if before - codings.height:
                removed["codings"] = before - codings.height
            tables["codings"] = codings
    if got.codebook is not None and not reuse("codebook", ("codebook",)):
        made("codebook", got.codebook, ("codebook",))
    if got.responses is not None and not reuse("responses", ("responses", "consent"), secret, redaction):
        responses = _pseudo_cols(got.responses, ["respondent"], pseudo)
        responses = responses.filter(~pl.col("respondent").is_in(sorted(gone)))
        responses, n = _redact_column(responses, "value", redactor,
                                      only=pl.col("value_num").is_null(), cache=cache)
        made("responses", responses, ("responses", "consent"), secret, redaction,
             removed_rows=got.responses.height - responses.height, redactions=n)

    if got.memos is not None:
        from impact.coding.memos import process_memos

        tables["memos"], n = process_memos(got.memos, lambda texts: redact_many(redactor, texts, cache), maps,
                                           pseudo, withdrawn, got.transcripts, got.consent)
        n_redactions += n

    tables.update(got.theory or {})
    quarantine_rows = [p.as_row(t) for p, t in zip(got.problems, got.problem_tables) if p.severity == "error"]
    tables["quarantine"] = pl.DataFrame(quarantine_rows, schema={
        "table": pl.Utf8, "file": pl.Utf8, "row": pl.Int64, "column": pl.Utf8, "value": pl.Utf8,
        "reason_nl": pl.Utf8, "reason_en": pl.Utf8, "record": pl.Utf8, "sheet": pl.Utf8})
    tables["withdrawals"] = pl.DataFrame(
        {"table": sorted(removed), "rows_removed": [removed[k] for k in sorted(removed)]},
        schema={"table": pl.Utf8, "rows_removed": pl.Int64})

    if "transcripts" in tables:
        from impact.coding.units import add_unit_columns

        # paragraph units worked out once here, so agreement never cuts the texts again
        tables["transcripts"], with_units = add_unit_columns(tables["transcripts"], tables.get("codings"))
        if with_units is not None:
            tables["codings"] = with_units
    step(Text("tabellen schrijven"))
    processed = study.processed.relative_to(study.root)
    written = write_tables(study.processed, tables, keep=list(kept),
                           sha=lambda path: steps.prints.sha(str(processed / path.name)))
    # texts of tables kept as they are were not looked up: their redactions stay in the cache
    cache.save(keep_unused=any(t in kept for t in ("responses", *free_text)))
    steps.save()
    if transcripts is not None and maps:
        _write_review(study, maps)
    rows = {**{k: meta["rows"] for k, meta in kept.items()}, **{k: v.height for k, v in tables.items()}}
    return ProcessResult(tables=dict(sorted(rows.items())),
                         quarantined=len(quarantine_rows), withdrawn=removed,
                         redactions=n_redactions, problems=got.problems, written=written, reused=steps.reused,
                         read_again=steps.read_again, kept=sorted(kept))


class StepCache:
    """What each step of ``collect`` gave last time, reused while its inputs did not change.

    A step (a register, the answers, the transcripts, the codings, ...) reads
    the raw files that match its patterns; its key is the sha256 of those
    files, of the steps it builds on, of ``impact.toml`` and of impact's own
    code. An unchanged key gives the stored result, so one changed coding
    reads the codings again and nothing else; the codings are kept per file
    (``run_per_file``), so only the changed file is read again. A processed
    table is made again only when the steps and secrets it is made from
    changed (``table_key``, ``kept_table``): a changed coding leaves the
    registers, answers and consent tables as they are. Stored in
    ``data/private/process-cache`` (raw values: for the researcher's eyes
    only), written only by ``impact process``.
    """

    def __init__(self, study: Study):
        from impact.fingerprints import Fingerprints

        self.study = study
        self.folder = private_folder(study) / "process-cache"
        try:
            known = json.loads((self.folder / "files.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        self.prints = Fingerprints(study.root, known)
        config = study.root / "impact.toml"
        package = Path(__file__).resolve().parent
        common = hashlib.sha256(config.read_bytes() if config.is_file() else b"")
        for path in sorted(package.rglob("*.py")):  # impact's code: a new version reads everything again
            common.update(f"{path}\0{self.prints.sha(str(path))}\0".encode())
        self.common = common.hexdigest()
        self.keys: dict[str, str] = {}
        self.reused: list[str] = []
        self.read_again: dict[str, list[str]] = {}  # per-file steps: the files read again
        try:
            self.tables = json.loads((self.folder / "tables.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.tables = {}  # processed table -> {key, sha, meta}: see kept_table
        self.pending: dict[str, dict] = {}

    def _files(self, patterns: list[str]) -> list[str]:
        found = set()
        for pattern in patterns:
            found |= {str(p.relative_to(self.study.root)) for p in self.study.root.glob(pattern) if p.is_file()}
        return sorted(found)

    def _key(self, name: str, files: list[str], after: tuple[str, ...]) -> str:
        h = hashlib.sha256(f"{self.common}\0{name}\0".encode())
        for rel in files:
            h.update(f"{rel}\0{self.prints.sha(rel)}\0".encode())
        for other in after:
            h.update(self.keys[other].encode())
        return h.hexdigest()

    def run(self, name: str, patterns: list[str], compute, after: tuple[str, ...] = ()):
        """``compute()``, or its stored result when the files matching ``patterns`` and the steps
        ``after`` are the same as when it was stored."""
        key = self.keys[name] = self._key(name, self._files(patterns), after)
        path = self.folder / f"{name}.pickle"
        stored = _load_pickle(path)
        if stored is not None and stored[0] == key:
            self.reused.append(name)
            return stored[1]
        result = compute()
        _dump_pickle(path, (key, result))
        return result

    def run_per_file(self, name: str, folder: str, compute, after: tuple[str, ...] = ()):
        """``compute(reuse)`` for a step that reads each file below ``folder`` on its own.

        ``reuse(path, read)`` gives what ``read()`` gave last time for this file when the file
        and the steps ``after`` are unchanged, else calls ``read()``. Results are stored one
        file per input file, so one changed file costs one file: read, and stored.
        """
        files = self._files([f"{folder}/**/*"])
        self.keys[name] = self._key(name, files, after)
        based_on = self._key(name, [], after)  # what every file's result depends on besides the file
        store = self.folder / f"{name}.files"
        kept: set[str] = set()
        read_again: list[str] = []

        def reuse(path: Path, read):
            rel = str(Path(path).relative_to(self.study.root))
            sha = self.prints.sha(rel)
            where = store / (hashlib.sha256(rel.encode()).hexdigest()[:32] + ".pickle")
            kept.add(where.name)
            stored = _load_pickle(where)
            if stored is not None and stored[:3] == (rel, sha, based_on):
                return stored[3]
            read_again.append(rel)
            result = read()
            _dump_pickle(where, (rel, sha, based_on, result))
            return result

        result = compute(reuse)
        (self.folder / f"{name}.pickle").unlink(missing_ok=True)  # what an impact storing whole steps left
        for old in store.glob("*.pickle") if store.is_dir() else []:
            if old.name not in kept:  # a file that is gone
                old.unlink(missing_ok=True)
        if not read_again:
            self.reused.append(name)
        self.read_again[name] = read_again
        return result

    def table_key(self, table: str, after: tuple[str, ...], *extra: str) -> str:
        """What a processed table is made from: the steps ``after`` and ``extra`` (key, redaction)."""
        return self._key(f"table:{table}", [], after) if not extra else hashlib.sha256(
            "\0".join([self._key(f"table:{table}", [], after), *extra]).encode()).hexdigest()

    def kept_table(self, table: str, key: str) -> dict | None:
        """The stored counts of ``table`` when it was made with ``key`` and its file is the one made then."""
        entry = self.tables.get(table)
        rel = str(self.study.processed.relative_to(self.study.root) / f"{table}.parquet")
        if entry and entry["key"] == key and self.prints.sha(rel) == entry["sha"]:
            self.pending[table] = entry
            return entry["meta"]
        return None

    def remember_table(self, table: str, key: str, meta: dict) -> None:
        """``table`` is made now with ``key``; stored with its file's sha256 by ``save``."""
        self.pending[table] = {"key": key, "meta": meta}

    def save(self) -> None:
        """Store what the tables were made from (after ``write_tables``) and the files' fingerprints."""
        processed = self.study.processed.relative_to(self.study.root)
        tables = {}
        for table, entry in self.pending.items():
            sha = self.prints.sha(str(processed / f"{table}.parquet"))
            if sha is not None:
                tables[table] = {**entry, "sha": sha}
        _write_json(self.folder / "tables.json", tables)
        _write_json(self.folder / "files.json",
                    {rel: v for rel, v in self.prints.known.items() if (self.study.root / rel).exists()})


def _write_json(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def _load_pickle(path: Path):
    """What ``_dump_pickle`` wrote, or None (no file yet, or one an older impact wrote)."""
    import pickle

    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
        return None


def _dump_pickle(path: Path, value) -> None:
    """Atomic and private (0600): the results hold raw values."""
    import pickle

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
        pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def _write_review(study: Study, redactions: dict) -> None:
    """The redaction review list (with the originals) goes to ``data/private``."""
    from impact.privacy import review_table

    path = private_folder(study) / "redaction_review.csv"
    tmp = path.with_suffix(".tmp")
    review_table(redactions).write_csv(tmp)
    os.replace(tmp, path)


def _pseudo_cols(df, cols, pseudo):
    """``cols`` with each person_id replaced by its pseudonym (worked out once per person)."""
    import polars as pl

    exprs = []
    for c in cols:
        if c in df.columns:
            ids = {v: pseudo(v) for v in df[c].drop_nulls().unique().to_list()}
            exprs.append(pl.col(c).replace_strict(ids, default=None, return_dtype=pl.Utf8))
    return df.with_columns(exprs) if exprs else df


def _quotes(codings, transcripts, redactor):
    """Each coding's words as shown: its span of the redacted text (``start``, ``end`` already mapped), the
    interviewee's own words redacted when a member check changed them, nothing when ``text`` is empty."""
    import polars as pl

    from impact.coding.units import span_texts

    quotes = span_texts(transcripts, codings)
    changed = codings.with_row_index("_row").filter((pl.col("member_check") == "change")
                                                    & pl.col("text").is_not_null())
    if changed.height:  # few: a member check is one interviewee's answer about one quote
        quotes = quotes.scatter(changed["_row"].to_list(),
                                [redactor.redact(old).text for old in changed["text"].to_list()])
    return pl.when(pl.col("text").is_null()).then(None).otherwise(quotes).alias("text")


def _mapped_spans(codings, maps: dict):
    """Every coding's start and end in its document's redacted text (``Redaction.map_spans``)."""
    import numpy as np
    import polars as pl

    starts = codings["start"].to_numpy().astype(np.int64)
    ends = codings["end"].to_numpy().astype(np.int64)
    new_starts, new_ends = starts.copy(), ends.copy()
    rows = codings.select("document").with_row_index("row").group_by("document").agg(pl.col("row"))
    for doc, idx in rows.iter_rows():
        at = np.asarray(idx, dtype=np.int64)
        new_starts[at], new_ends[at] = maps[doc].map_spans(starts[at], ends[at])
    return new_starts, new_ends


def _redact_column(df, col, redactor, only=None, cache=None):
    import polars as pl

    values, count = [], 0
    mask = df.select(only).to_series().to_list() if only is not None else [True] * df.height
    raw = df[col].to_list()
    todo = [v for v, use in zip(raw, mask) if v is not None and use]
    done = iter(redact_many(redactor, todo, cache))
    for v, use in zip(raw, mask):
        if v is None or not use:
            values.append(v)
            continue
        red = next(done)
        count += len(red.findings)
        values.append(red.text)
    return df.with_columns(pl.Series(col, values, pl.Utf8)), count


# ---- redaction: cached, and spread over the cores ------------------------------------------

def _redaction_fingerprint(people: list[dict], always, keep) -> str:
    """What a redaction depends on besides the text: the register, the rules, the redaction code."""
    from importlib.metadata import PackageNotFoundError, version

    from impact.privacy import detect, redact

    h = hashlib.sha256()
    cols = ("name", "name_variants", "phone", "email", "address")
    h.update(json.dumps([[r.get(c) for c in cols] for r in people], default=str).encode())
    h.update(json.dumps([sorted(map(str, always)), sorted(map(str, keep))]).encode())
    for module in (detect, redact):
        h.update(Path(module.__file__).read_bytes())
    try:
        h.update(version("deduce").encode())
    except PackageNotFoundError:
        pass
    return h.hexdigest()


class RedactionCache:
    """Redactions of earlier runs, so an unchanged text is not redacted again.

    Kept in ``data/private`` (the entries hold the original words), one file
    per fingerprint (register + rules + redaction code); a new fingerprint
    starts empty and the old file is removed when the new one is saved.
    """

    def __init__(self, study: Study, fingerprint: str):
        self.folder = private_folder(study) / "redaction-cache"
        self.path = self.folder / f"{fingerprint[:32]}.json"
        self.entries: dict[str, dict] = {}
        self.used: dict[str, dict] = {}
        if self.path.exists():
            try:
                self.entries = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.entries = {}

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, key: str):
        from impact.privacy.redact import RedactedSpan, Redaction

        entry = self.entries.get(key)
        if entry is None:
            return None
        self.used[key] = entry
        return Redaction(entry["text"], [RedactedSpan(*f) for f in entry["findings"]])

    def put(self, key: str, red) -> None:
        self.used[key] = {"text": red.text, "findings": [
            [f.start, f.end, f.kind, f.original, f.replacement, f.new_start, f.new_end, f.source]
            for f in red.findings]}

    def save(self, keep_unused: bool = False) -> None:
        """Write the redactions used in this run (``keep_unused``: and the earlier ones not looked up)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        entries = {**self.entries, **self.used} if keep_unused else self.used
        tmp.write_text(json.dumps(entries, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)
        for old in self.folder.glob("*.json"):
            if old != self.path:
                old.unlink()


class _BuiltWhenUsed:
    """Stands for the object ``build()`` makes, and makes it when first used."""

    def __init__(self, build):
        self._build, self._obj = build, None

    def __getattr__(self, name):
        if self._obj is None:
            self._obj = self._build()
        return getattr(self._obj, name)


_POOL_REDACTOR = None  # set before the worker processes fork; they inherit it


def _redact_in_worker(text: str):
    return _POOL_REDACTOR.redact(text)


def redact_many(redactor, texts: list[str], cache: RedactionCache | None = None,
                workers: int | None = None) -> list:
    """``redactor.redact`` of every text, in order; cached texts are not redacted again,
    and many new texts are spread over the cores (deduce takes about half a second per
    long interview). The results are the same as redacting one by one."""
    import multiprocessing

    global _POOL_REDACTOR
    texts = ["" if t is None else t for t in texts]  # redact(None) and redact("") are both empty
    keys = [RedactionCache.key(t) for t in texts]
    found: dict[str, object] = {}
    todo: dict[str, str] = {}
    for k, t in zip(keys, texts):
        if k in found or k in todo:
            continue
        hit = cache.get(k) if cache is not None else None
        if hit is not None:
            found[k] = hit
        else:
            todo[k] = t
    workers = workers or min(os.cpu_count() or 1, 4)
    new_texts = list(todo.values())
    cost = sum(len(t) for t in new_texts)
    if workers > 1 and cost > 200_000 and "fork" in multiprocessing.get_all_start_methods():
        if redactor.use_deduce:
            from impact.privacy.redact import deduce_model

            deduce_model()  # built once here; the workers inherit it
        _POOL_REDACTOR = redactor
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.map(_redact_in_worker, new_texts, chunksize=max(1, len(new_texts) // (workers * 8)))
        finally:
            _POOL_REDACTOR = None
    else:
        results = [redactor.redact(t) for t in new_texts]
    for k, red in zip(todo, results):
        found[k] = red
        if cache is not None:
            cache.put(k, red)
    return [found[k] for k in keys]


def write_tables(folder: Path, tables: dict, keep: list[str] = (), sha=None) -> list[str]:
    """Write every table atomically: stage all, then move each changed one into place.

    A table whose bytes are the same as the file already there is not
    replaced (its file, modification time and manifest entry stay), so what
    reads it (a report) sees no change. ``keep``: tables not made again,
    whose files stay as they are. A manifest with the sha256 of each file is
    written last; readers can trust a folder whose manifest matches.
    ``sha(path)``: the sha256 of a file already there (default: read it).
    Returns the names of the tables that were written.
    """
    from impact.fingerprints import sha256_file

    sha = sha or sha256_file
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    written = []
    try:
        manifest = {}
        for name in sorted(tables):
            path = staging / f"{name}.parquet"
            # one chunk: the bytes follow from the rows alone, not from how the frame was put together
            tables[name].rechunk().write_parquet(path, compression="zstd", statistics=True)
            manifest[f"{name}.parquet"] = sha256_file(path)
        for name in keep:
            path = folder / f"{name}.parquet"
            if name not in tables and path.is_file():
                manifest[path.name] = sha(path)
        for name in sorted(manifest):
            old = folder / name
            if not (staging / name).is_file() or (old.is_file() and sha(old) == manifest[name]):
                continue
            os.replace(staging / name, old)
            written.append(name.removesuffix(".parquet"))
        for old in folder.glob("*.parquet"):
            if old.name not in manifest:
                old.unlink()
        text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
        path = folder / "_manifest.json"
        if not path.is_file() or path.read_text() != text:
            (staging / "_manifest.json").write_text(text)
            os.replace(staging / "_manifest.json", path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written
