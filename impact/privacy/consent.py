"""The consent register: what each person agreed to, and who withdrew.

``data/raw/consent.csv`` has one row per person: ``person_id``,
``questionnaire``, ``interview``, ``quotes``, ``named_as_coresearcher``
(yes/no each) and ``withdrawn_on`` (a date, empty if not withdrawn).

Privacy by default: an empty or unreadable yes/no is "no". A person whose
``withdrawn_on`` is filled in is withdrawn, even when the date cannot be
read (that is reported as an error to fix, but the person stays out). A
person listed twice gets the stricter of the two rows.

Example:
    >>> import tempfile, pathlib
    >>> from impact.study import init_study
    >>> study = init_study(pathlib.Path(tempfile.mkdtemp()) / "s")
    >>> _ = (study.raw / "consent.csv").write_text(
    ...     "person_id;questionnaire;interview;quotes;named_as_coresearcher;withdrawn_on\\n"
    ...     "BB01;ja;ja;ja;nee;\\nR0007;ja;nee;nee;nee;03-04-2024\\n", encoding="utf-8")
    >>> df, problems = load_consent(study)
    >>> df.select("person_id", "quotes", "withdrawn").rows(), sorted(withdrawn_ids(df)), problems
    ([('BB01', True, False), ('R0007', False, True)], ['R0007'], [])
"""

from __future__ import annotations

from impact.errors import InputError, Problem, Text

CONSENT_KINDS = ("questionnaire", "interview", "quotes", "named_as_coresearcher")
COLUMNS = ("person_id", *CONSENT_KINDS, "withdrawn_on")


def _schema():
    import polars as pl

    return {"person_id": pl.Utf8, **{k: pl.Boolean for k in CONSENT_KINDS},
            "withdrawn_on": pl.Date, "withdrawn": pl.Boolean}


def _find(study):
    for ext in (".csv", ".xlsx", ".CSV", ".XLSX"):
        p = study.raw / f"consent{ext}"
        if p.is_file():
            return p
    return None


def load_consent(study):
    """Read ``data/raw/consent.csv`` (or .xlsx) of ``study``.

    Returns ``(frame, problems)``. The frame has the columns of the file
    (person_id raw, yes/no as booleans, ``withdrawn_on`` as a date) plus
    ``withdrawn`` (bool). A missing file gives an empty frame and a warning:
    without it nobody has agreed to quotes.
    """
    import polars as pl

    from impact.tabular import EXPECT_BOOL, EXPECT_DATE, parse_bool, parse_date, read_table

    path = _find(study)
    if path is None:
        return pl.DataFrame(schema=_schema()), [Problem("data/raw/consent.csv", None, None, None, Text("dit "
                                                                                                       "bestand; "
                                                                                                       "zonder "
                                                                                                       "toestemmingen "
                                                                                                       "gebruikt "
                                                                                                       "impact "
                                                                                                       "geen "
                                                                                                       "citaten"), severity="warning")]
    shown = study.rel(path)
    try:
        table = read_table(path, required=["person_id"], display=shown)
    except InputError as err:
        return pl.DataFrame(schema=_schema()), list(err.problems)
    problems: list[Problem] = list(table.problems)
    missing = [c for c in COLUMNS if c not in table.columns]
    for c in missing:
        problems.append(Problem(shown, table.header_row, c, None, Text("deze kolom; ontbreekt, dus telt als "
                                                                       "'nee'"),
            severity="warning"))
    by_person: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    for row, line in zip(table.rows, table.row_numbers):
        pid = row.get("person_id", "").strip()
        if not pid:
            problems.append(Problem(shown, line, "person_id", "", Text("een person_id uit people.csv")))
            continue
        rec = {"person_id": pid}
        for kind in CONSENT_KINDS:
            value = row.get(kind, "").strip()
            try:
                rec[kind] = parse_bool(value) if value else False
            except ValueError:
                rec[kind] = False
                problems.append(Problem(shown, line, kind, value, Text("{expect_bool}; telt nu als 'nee'",
                                                                       expect_bool=EXPECT_BOOL)))
        value = row.get("withdrawn_on", "").strip()
        rec["withdrawn_on"], rec["withdrawn"] = None, bool(value)
        if value:
            try:
                rec["withdrawn_on"] = parse_date(value)
            except ValueError:
                problems.append(Problem(shown, line, "withdrawn_on", value, Text("{expect_date}; de persoon "
                                                                                 "telt wel als teruggetrokken",
                                                                                 expect_date=EXPECT_DATE)))
        if pid in by_person:
            problems.append(Problem(shown, line, "person_id", pid, Text("een unieke waarde; die staat al in "
                                                                        "rij {value}. De strengste rij telt.",
                                                                        value=first_line[pid])))
            old = by_person[pid]
            for kind in CONSENT_KINDS:
                old[kind] = old[kind] and rec[kind]
            old["withdrawn"] = old["withdrawn"] or rec["withdrawn"]
            old["withdrawn_on"] = min(filter(None, (old["withdrawn_on"], rec["withdrawn_on"])), default=None)
            continue
        by_person[pid] = rec
        first_line[pid] = line
    return pl.DataFrame(list(by_person.values()), schema=_schema()), problems


def withdrawn_ids(consent) -> set[str]:
    """The raw person_ids of everyone who withdrew (``withdrawn`` true or a ``withdrawn_on`` date)."""
    import polars as pl

    if consent is None or consent.height == 0:
        return set()
    flag = pl.col("withdrawn_on").is_not_null() if "withdrawn_on" in consent.columns else pl.lit(False)
    if "withdrawn" in consent.columns:
        flag = flag | pl.col("withdrawn").fill_null(False)
    col = "person_id" if "person_id" in consent.columns else "person"
    return set(consent.filter(flag)[col].to_list())


def consented_ids(consent, kind: str) -> set[str]:
    """Persons who agreed to ``kind`` (questionnaire, interview, quotes, named_as_coresearcher)
    and did not withdraw. Works on the raw (``person_id``) and processed (``person``) table."""
    import polars as pl

    if kind not in CONSENT_KINDS:
        raise ValueError(f"kind must be one of {CONSENT_KINDS}")
    if consent is None or consent.height == 0:
        return set()
    col = "person_id" if "person_id" in consent.columns else "person"
    agreed = set(consent.filter(pl.col(kind).fill_null(False))[col].to_list())
    return agreed - withdrawn_ids(consent)
