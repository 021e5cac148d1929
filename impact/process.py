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
    step(Text("registers lezen", "reading registers"))
    for spec in rg.REGISTERS:
        out.registers[spec.name] = run(f"register-{spec.name}", [f"data/raw/{spec.name}.*"],
                                       lambda spec=spec: rg.load_register(study.raw, spec, districts, study.root))
    # a person whose row has an error (say, a typo in the district) still exists:
    # references to them are not errors too
    people_ids = {key[0] for key in out.registers["people"].keys_seen}
    rg.check_references(out.registers, people_ids)
    for name, item in out.registers.items():
        out.add(name, item.problems)

    step(Text("toestemmingen lezen", "reading consent"))
    from impact.privacy import load_consent, load_redaction_rules

    out.consent, problems = run("consent", ["data/raw/consent.*"], lambda: load_consent(study))
    out.add("consent", problems)

    *rules, problems = run("redaction_rules", ["data/raw/redaction_rules.*"],
                           lambda: load_redaction_rules(study))
    out.redact_always, out.redact_keep = rules
    out.add("redaction_rules", problems)

    step(Text("vragenlijsten lezen", "reading questionnaires"))
    from impact.questionnaires import load_study_responses

    out.responses, problems = run("responses", ["questionnaires/*.xlsx", "data/raw/responses/**/*"],
                                  lambda: load_study_responses(study))
    out.add("responses", problems)

    step(Text("interviews en codes lezen", "reading interviews and codes"))
    from impact.coding import load_codebook, load_codings, load_transcripts

    out.transcripts, problems = run("transcripts", ["data/raw/transcripts/**/*"], lambda: load_transcripts(study))
    out.add("transcripts", problems)
    out.codebook, problems = run("codebook", ["data/raw/codebook.*"], lambda: load_codebook(study))
    out.add("codebook", problems)
    from impact.coding.answers import study_documents

    # open questionnaire answers are coded like interviews: one document each, beside the transcripts
    out.transcripts = study_documents(study, out.transcripts, out.responses, out.registers["people"].records,
                                      out.consent)
    documents = ("register-people", "consent", "responses", "transcripts")
    out.codings, problems = run("codings", ["data/raw/codings/**/*"],
                                lambda: load_codings(study, out.transcripts, out.codebook),
                                after=(*documents, "codebook"))
    out.add("codings", problems)
    from impact.membercheck import read_member_checks

    out.member_checks, problems = run("member_checks", ["data/raw/member_checks.*"],
                                      lambda: read_member_checks(study, out.transcripts), after=documents)
    out.add("member_checks", problems)
    from impact.theory import load_theory

    out.theory, problems = run("theory", ["data/raw/theory_of_change.*", "questionnaires/*.xlsx"],
                               lambda: load_theory(study, out.codebook), after=("codebook",))
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
            out.add(table, [Problem(f"data/raw ({table}: {where})", None, col, rec[col], Text(
                "een person_id uit people.csv", "a person_id from people.csv"))])
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

    step(Text("pseudoniemen maken", "making pseudonyms"))
    for name, item in got.registers.items():
        before = item.frame.height
        tables[name] = rg.to_frame(item, pseudo, drop_persons=withdrawn)
        if before - tables[name].height:
            removed[name] = before - tables[name].height

    if got.consent is not None:
        # a withdrawn person leaves no row behind, not even in the consent table
        tables["consent"] = (_pseudo_cols(got.consent.filter(~pl.col("person_id").is_in(sorted(withdrawn))),
                                          ["person_id"], pseudo).rename({"person_id": "person"}))

    step(Text("namen en nummers weglakken", "redacting names and numbers"))
    people_raw = got.registers["people"].records
    redactor_keep = list(got.redact_keep) + list(study.config.districts)
    private_cols = ("person_id", "name", "name_variants", "phone", "email", "address")
    # built on first use: when every text is in the redaction cache, its regexes (seconds for a
    # large register) are never compiled
    redactor = _BuiltWhenUsed(lambda: Redactor.from_register(
        got.registers["people"].frame.select(private_cols), always=got.redact_always, keep=redactor_keep))
    cache = RedactionCache(study, _redaction_fingerprint(people_raw, got.redact_always, redactor_keep))
    n_redactions = 0
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
            starts, ends, quotes = [], [], []
            red_text = dict(zip(transcripts["document"], texts))
            for doc, s, e, old, check in zip(codings["document"], codings["start"], codings["end"],
                                             codings["text"], codings["member_check"]):
                red = maps[doc]
                s2, e2 = red.map_span(s, e)
                starts.append(s2)
                ends.append(e2)
                if old is None:
                    quotes.append(None)
                elif check == "change":
                    quotes.append(redactor.redact(old).text)
                else:
                    quotes.append(red_text[doc][s2:e2])
            codings = codings.with_columns(pl.Series("start", starts, pl.Int64), pl.Series("end", ends, pl.Int64),
                                           pl.Series("text", quotes))
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
    if got.codebook is not None:
        tables["codebook"] = got.codebook
    if got.responses is not None:
        responses = _pseudo_cols(got.responses, ["respondent"], pseudo)
        before = responses.height
        responses = responses.filter(~pl.col("respondent").is_in(sorted(gone)))
        if before - responses.height:
            removed["responses"] = before - responses.height
        responses, n = _redact_column(responses, "value", redactor,
                                      only=pl.col("value_num").is_null(), cache=cache)
        n_redactions += n
        tables["responses"] = responses
    for name, col in (("msc_stories", "story"), ("msc_stories", "panel_reasons"), ("goals", "goal")):
        if name in tables and col in tables[name].columns:
            tables[name], n = _redact_column(tables[name], col, redactor, cache=cache)
            n_redactions += n

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
    step(Text("tabellen schrijven", "writing tables"))
    written = write_tables(study.processed, tables)
    cache.save()
    steps.save()
    if transcripts is not None and maps:
        _write_review(study, maps)
    return ProcessResult(tables={k: v.height for k, v in tables.items()},
                         quarantined=len(quarantine_rows), withdrawn=removed,
                         redactions=n_redactions, problems=got.problems, written=written, reused=steps.reused)


def private_folder(study: Study) -> Path:
    """``data/private``: for the researcher's eyes only; never in git, never published."""
    folder = study.root / "data" / "private"
    folder.mkdir(parents=True, exist_ok=True)
    guard = folder / ".gitignore"
    if not guard.exists():
        guard.write_text("*\n", encoding="utf-8")
    return folder


class StepCache:
    """What each step of ``collect`` gave last time, reused while its inputs did not change.

    A step (a register, the answers, the transcripts, the codings, ...) reads
    the raw files that match its patterns; its key is the sha256 of those
    files, of the steps it builds on, of ``impact.toml`` and of impact's own
    code. An unchanged key gives the stored result, so one changed coding
    reads the codings again and nothing else. Stored in
    ``data/private/process-cache`` (raw values: for the researcher's eyes
    only), one pickle per step, written only by ``impact process``.
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

    def _files(self, patterns: list[str]) -> list[str]:
        found = set()
        for pattern in patterns:
            found |= {str(p.relative_to(self.study.root)) for p in self.study.root.glob(pattern) if p.is_file()}
        return sorted(found)

    def run(self, name: str, patterns: list[str], compute, after: tuple[str, ...] = ()):
        """``compute()``, or its stored result when the files matching ``patterns`` and the steps
        ``after`` are the same as when it was stored."""
        import pickle

        h = hashlib.sha256(f"{self.common}\0{name}\0".encode())
        for rel in self._files(patterns):
            h.update(f"{rel}\0{self.prints.sha(rel)}\0".encode())
        for other in after:
            h.update(self.keys[other].encode())
        key = self.keys[name] = h.hexdigest()
        path = self.folder / f"{name}.pickle"
        try:
            with open(path, "rb") as f:
                stored_key, result = pickle.load(f)
            if stored_key == key:
                self.reused.append(name)
                return result
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
            pass  # no result yet, or one an older impact wrote: compute it
        result = compute()
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
            pickle.dump((key, result), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return result

    def save(self) -> None:
        live = {rel: v for rel, v in self.prints.known.items() if (self.study.root / rel).exists()}
        tmp = self.folder / "files.tmp"
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(live), encoding="utf-8")
        os.replace(tmp, self.folder / "files.json")


def _write_review(study: Study, redactions: dict) -> None:
    """The redaction review list (with the originals) goes to ``data/private``."""
    from impact.privacy import review_table

    path = private_folder(study) / "redaction_review.csv"
    tmp = path.with_suffix(".tmp")
    review_table(redactions).write_csv(tmp)
    os.replace(tmp, path)


def _pseudo_cols(df, cols, pseudo):
    import polars as pl

    exprs = [pl.col(c).map_elements(pseudo, return_dtype=pl.Utf8) for c in cols if c in df.columns]
    return df.with_columns(exprs) if exprs else df


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

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.used, sort_keys=True), encoding="utf-8")
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


def write_tables(folder: Path, tables: dict) -> list[str]:
    """Write every table atomically: stage all, then move each changed one into place.

    A table whose bytes are the same as the file already there is not
    replaced (its file, modification time and manifest entry stay), so what
    reads it (a report) sees no change. A manifest with the sha256 of each
    file is written last; readers can trust a folder whose manifest matches.
    Returns the names of the tables that were written.
    """
    from impact.fingerprints import sha256_file

    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    written = []
    try:
        manifest = {}
        for name in sorted(tables):
            path = staging / f"{name}.parquet"
            tables[name].write_parquet(path, compression="zstd", statistics=True)
            manifest[f"{name}.parquet"] = sha256_file(path)
        for name in sorted(manifest):
            old = folder / name
            if old.is_file() and sha256_file(old) == manifest[name]:
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
