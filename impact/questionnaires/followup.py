"""Follow-up forms: a questionnaire that follows up an earlier one, linked by the respondent's code.

A first form registers people (say ``bewoners``: the first conversation);
a follow-up form (``bewoners_vervolg``) asks the same people again later.
This is what ODK Entities does with a registration form and follow-up
forms, and what the study's waves already are: together the forms make one
chain of waves per respondent. A form says which form it follows up in its
``settings`` sheet, or ``impact.toml`` says it (``impact.toml`` wins)::

    [questionnaires.bewoners_vervolg]
    follows_up = "bewoners"          # the earlier form
    respondent_key = "respondent"    # the question with the respondent's code (default: respondent)

``impact validate`` then reports, as errors that keep the submission out:

* a follow-up whose respondent never answered the first form of the chain
  (never registered);
* a respondent answering the same wave twice, in two forms of a chain;
* waves out of order: a follow-up whose wave is not later than the
  respondent's first wave, or a later wave dated before an earlier one.

Example:
    >>> import datetime as dt
    >>> subs = [("bewoners", "R1", 1, dt.date(2023, 1, 5), "b.csv", None, 3, "respondent", "wave", "date"),
    ...         ("vervolg", "R1", 3, dt.date(2023, 9, 1), "v.csv", None, 3, "respondent", "wave", "date"),
    ...         ("vervolg", "R9", 3, dt.date(2023, 9, 2), "v.csv", None, 4, "respondent", "wave", "date")]
    >>> problems, rejected = check_follow_ups(subs, {"vervolg": "bewoners"})
    >>> [p.render("en") for p in problems]  # doctest: +NORMALIZE_WHITESPACE
    ["v.csv, row 4, column 'respondent': value 'R9'; expected a participant who answered the questionnaire
    'bewoners' first (the registration). R9 is not in its answers (or its row there has an error)"]
    >>> sorted(rejected)
    [('vervolg', 'R9', 3, datetime.date(2023, 9, 2))]
"""

from __future__ import annotations

import tomllib
from dataclasses import replace

from impact.errors import Problem, Text


SUBMISSION_SCHEMA = {"instrument": "String", "respondent": "String", "wave": "Int64", "date": "Date",
                     "file": "String", "sheet": "String", "row": "Int64", "column": "String",
                     "wave_column": "String", "date_column": "String"}


def submissions_frame(rows) -> object:
    """The submissions read, as a polars table (``SUBMISSION_SCHEMA``): from a list of such tables or
    of tuples in that column order.

    Example:
        >>> submissions_frame([("b", "R1", 1, None, "b.csv", None, 2, "respondent", "wave", "date")]).height
        1
    """
    import polars as pl

    schema = {k: getattr(pl, v) for k, v in SUBMISSION_SCHEMA.items()}
    frames = [r for r in rows if isinstance(r, pl.DataFrame)]
    tuples = [r for r in rows if not isinstance(r, pl.DataFrame)]
    if tuples:
        frames.append(pl.DataFrame(tuples, schema=schema, orient="row"))
    return pl.concat(frames, how="vertical") if frames else pl.DataFrame(schema=schema)


def study_settings(study) -> dict[str, dict]:
    """The ``[questionnaires.<name>]`` tables of the study's ``impact.toml`` (empty when none)."""
    from impact.study import CONFIG_NAME

    path = study.root / CONFIG_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}  # Study.load already refused a broken impact.toml
    found = data.get("questionnaires", {})
    return {str(k): v for k, v in found.items() if isinstance(v, dict)} if isinstance(found, dict) else {}


def with_study_settings(form, study, known: set[str]) -> tuple[object, list[Problem]]:
    """``form`` with ``follows_up``/``respondent_key`` from ``impact.toml`` (they win over the form's
    settings sheet), and the problems with them: an unknown earlier form, an unknown key question.
    ``known``: the names of the study's questionnaires."""
    from impact.study import CONFIG_NAME

    own = study_settings(study).get(form.name, {})
    follows_up = str(own.get("follows_up") or form.follows_up or "").strip() or None
    key = str(own.get("respondent_key") or form.respondent_key or "").strip() or None
    where = CONFIG_NAME if ("follows_up" in own or "respondent_key" in own) else form.path.name
    problems = []
    if follows_up is not None and (follows_up not in known or follows_up == form.name):
        problems.append(Problem(where, None, "follows_up", follows_up, Text("de naam van een andere "
                                                                            "vragenlijst in questionnaires/ "
                                                                            "({value}). Er is niets van "
                                                                            "'{name}' ingelezen.",
                                                                            value=', '.join(sorted(known - {form.name})) or '-', name=form.name)))
    if key is not None and not form.has(key):
        problems.append(Problem(where, None, "respondent_key", key, Text("de naam van een vraag van '{name}' "
                                                                         "met de code van de deelnemer. Er "
                                                                         "is niets van '{name}' ingelezen.",
                                                                         name=form.name)))
    return replace(form, follows_up=follows_up, respondent_key=key), problems


def chain_roots(follows: dict[str, str | None]) -> tuple[dict[str, str], list[str]]:
    """The first form of each form's chain (``{form: root}``), and the forms in a loop (which have none).

    Example:
        >>> chain_roots({"c": "b", "b": "a", "a": None, "x": "y", "y": "x"})
        ({'a': 'a', 'b': 'a', 'c': 'a'}, ['x', 'y'])
    """
    roots, loops = {}, []
    for name in sorted(follows):
        seen, at = [name], name
        while follows.get(at):
            at = follows[at]
            if at in seen:
                loops.append(name)
                break
            seen.append(at)
        else:
            roots[name] = at
    return roots, loops


def check_follow_ups(submissions, follows: dict[str, str], *, order_alone: bool = True):
    """The follow-up checks (module docs) over every submission read: ``(problems, rejected)``.

    ``submissions``: ``submissions_frame`` rows, in the order they were read; ``follows``: each
    follow-up form's earlier form (forms in a loop are left out by the caller); ``order_alone``:
    also check that the waves of a form that is no part of a chain are in date order. ``rejected``
    holds the keys ``(instrument, respondent, wave, date)`` of the submissions to leave out.
    """
    import polars as pl

    subs = submissions_frame([submissions] if isinstance(submissions, pl.DataFrame) else submissions)
    roots, _loops = chain_roots(follows)
    names = subs["instrument"].unique().to_list()
    root_of = {n: roots.get(n, n) for n in names}
    depth = {n: _depth(n, follows) for n in names}
    subs = subs.with_row_index("order").with_columns(
        pl.col("instrument").replace_strict(root_of, return_dtype=pl.String).alias("root"),
        pl.col("instrument").replace_strict(depth, return_dtype=pl.Int64).alias("depth"))
    first = (subs.filter(pl.col("instrument") == pl.col("root"))
             .group_by("root", "respondent").agg(pl.col("wave").min().alias("first_wave"), pl.lit(True).alias("known")))
    subs = subs.join(first, on=["root", "respondent"], how="left", maintain_order="left").with_columns(
        pl.col("known").fill_null(False))
    follow = pl.col("instrument") != pl.col("root")
    unknown = follow & ~pl.col("known")
    early = follow & pl.col("known") & pl.col("wave").is_not_null() & (pl.col("wave") <= pl.col("first_wave"))
    subs = subs.with_columns(pl.when(unknown).then(pl.lit("unknown")).when(early).then(pl.lit("early"))
                             .otherwise(None).alias("why"))
    # the same wave in two forms of a chain: the first form first, then its follow-ups, in reading order
    held = subs.filter(pl.col("why").is_null() & pl.col("wave").is_not_null()).sort("depth", "instrument", "order")
    group = ["root", "respondent", "wave"]
    held = held.with_columns(pl.col("order").first().over(group).alias("held_by"),
                             pl.col("instrument").first().over(group).alias("held_in"))
    twice = held.filter(pl.col("instrument") != pl.col("held_in"))
    held = held.filter(pl.col("order") == pl.col("held_by"))
    late = _out_of_order(held if order_alone else held.filter(pl.col("root").is_in(set(roots.values()))))

    by_order = {r["order"]: r for r in subs.filter(pl.col("why").is_not_null() | pl.col("order").is_in(
        twice["held_by"].to_list() + late["after"].to_list() + twice["order"].to_list() + late["order"].to_list()
    )).iter_rows(named=True)}
    found: list[tuple[int, Problem]] = []
    for r in by_order.values():
        if r["why"] == "unknown":
            found.append((r["order"], _problem(r, r["respondent"], "column", Text("een deelnemer die eerst "
                                                                                  "de vragenlijst '{root}' "
                                                                                  "invulde (de registratie). "
                                                                                  "{respondent} staat niet "
                                                                                  "in de antwoorden daarvan "
                                                                                  "(of die rij heeft een "
                                                                                  "fout)",
                                                                                  root=r['root'], respondent=r['respondent']))))
        elif r["why"] == "early":
            found.append((r["order"], _problem(r, r["wave"], "wave_column", Text("een meting na de eerste "
                                                                                 "meting van {respondent} in "
                                                                                 "'{root}' (meting "
                                                                                 "{first_wave})",
                                                                                 respondent=r['respondent'], root=r['root'], first_wave=r['first_wave']))))
    for order, held_by in twice.select("order", "held_by").iter_rows():
        r, first_row = by_order[order], by_order[held_by]
        where = _where(first_row)
        found.append((order, _problem(r, r["wave"], "wave_column", Text("één keer per meting; {respondent} "
                                                                        "vulde meting {wave} al in bij "
                                                                        "'{instrument}' ({where})",
                                                                        respondent=r['respondent'], wave=r['wave'], instrument=first_row['instrument'], where=where))))
    for order, after in late.select("order", "after").iter_rows():
        r, before = by_order[order], by_order[after]
        where, day = _where(before), f"{before['date']:%d-%m-%Y}"
        found.append((order, _problem(r, f"{r['date']:%d-%m-%Y}", "date_column", Text("een datum na meting "
                                                                                      "{wave} van "
                                                                                      "{respondent} ({day}, "
                                                                                      "{where}): de metingen "
                                                                                      "staan niet in de "
                                                                                      "goede volgorde",
                                                                                      wave=before['wave'], respondent=r['respondent'], day=day, where=where))))
    found.sort(key=lambda x: x[0])
    rejected = {(by_order[o]["instrument"], by_order[o]["respondent"], by_order[o]["wave"], by_order[o]["date"])
                for o, _ in found}
    return [p for _, p in found], rejected


def _out_of_order(held):
    """Submissions dated before an earlier wave of the same respondent (in the same chain): their
    ``order`` and the ``order`` of the latest earlier wave (``after``)."""
    import polars as pl

    dated = held.filter(pl.col("date").is_not_null()).sort("root", "respondent", "wave")
    group = ["root", "respondent"]
    dated = dated.with_columns(pl.col("date").cum_max().shift(1).over(group).alias("before"))
    late = dated.filter(pl.col("date") < pl.col("before"))
    if late.height == 0:
        return pl.DataFrame(schema={"order": pl.UInt32, "after": pl.UInt32})
    # the earlier wave whose date is the latest before it (a rejected one never sets that date)
    earlier = dated.select(*group, pl.col("wave").alias("w"), pl.col("date").alias("d"), pl.col("order").alias("after"))
    pairs = late.select(*group, "wave", "before", "order").join(earlier, on=group).filter(
        (pl.col("w") < pl.col("wave")) & (pl.col("d") == pl.col("before")))
    return pairs.sort("order", "w").group_by("order", maintain_order=True).agg(pl.col("after").first())


def _where(r: dict) -> Text:
    sheet_nl = f"blad '{r['sheet']}', " if r["sheet"] else ""
    sheet_en = f"sheet '{r['sheet']}', " if r["sheet"] else ""
    return Text("{file}, {sheet_nl}rij {row}", file=r['file'], sheet_nl=sheet_nl, row=r['row'], sheet_en=sheet_en)


def _problem(r: dict, value, column: str, expected: Text) -> Problem:
    return Problem(r["file"], r["row"], r[column], value, expected, sheet=r["sheet"])


def _depth(name: str, follows: dict[str, str]) -> int:
    """How many forms come before ``name`` in its chain."""
    depth, at = 0, name
    while follows.get(at) and depth <= len(follows):
        at, depth = follows[at], depth + 1
    return depth


def chain_forms(study, form) -> list[str]:
    """``form`` and the forms it follows up, the first form last (settings from each form and
    ``impact.toml``); stops at a loop or a form that does not exist."""
    from impact.errors import InputError
    from impact.questionnaires.xlsform import read_xlsform

    names, at = [form.name], form
    while at.follows_up and at.follows_up not in names:
        path = study.questionnaires / f"{at.follows_up}.xlsx"
        if not path.is_file():
            break
        try:
            at, _ = with_study_settings(read_xlsform(path, name=at.follows_up), study, {at.follows_up})
        except InputError:
            break
        names.append(at.name)
    return names


def follow_up_reach(responses, first: str, follow_up: str):
    """How many people of the first form were asked again in the follow-up: ``registered`` (people
    in ``first``), ``followed_up`` (of them, people in ``follow_up``) and ``share``
    (followed_up / registered).

    Example:
        >>> import polars as pl
        >>> answers = pl.DataFrame({"instrument": ["b", "b", "b", "v", "v"], "respondent": ["R1", "R2", "R3", "R1", "R9"]})
        >>> follow_up_reach(answers, "b", "v").rows()
        [(3, 1, 0.3333333333333333)]
    """
    import polars as pl

    people = set(responses.filter(pl.col("instrument") == first)["respondent"].unique().to_list())
    again = set(responses.filter(pl.col("instrument") == follow_up)["respondent"].unique().to_list()) & people
    share = len(again) / len(people) if people else None
    return pl.DataFrame({"registered": [len(people)], "followed_up": [len(again)], "share": [share]},
                        schema={"registered": pl.Int64, "followed_up": pl.Int64, "share": pl.Float64})
