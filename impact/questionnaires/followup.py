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
    >>> subs = [Submission("bewoners", "R1", 1, dt.date(2023, 1, 5), "b.csv", None, 3, "respondent"),
    ...         Submission("vervolg", "R1", 3, dt.date(2023, 9, 1), "v.csv", None, 3, "respondent"),
    ...         Submission("vervolg", "R9", 3, dt.date(2023, 9, 2), "v.csv", None, 4, "respondent")]
    >>> problems, rejected = check_follow_ups(subs, {"vervolg": "bewoners"})
    >>> [p.render("en") for p in problems]  # doctest: +NORMALIZE_WHITESPACE
    ["v.csv, row 4, column 'respondent': value 'R9'; expected a participant who answered the questionnaire
    'bewoners' first (the registration). R9 is not in its answers (or its row there has an error)"]
    >>> sorted(rejected)
    [('vervolg', 'R9', 3, datetime.date(2023, 9, 2))]
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, replace

from impact.errors import Problem, Text


@dataclass(frozen=True)
class Submission:
    """One submission that was read: who, which wave, when, and where it is in its file."""

    instrument: str
    respondent: str
    wave: int | None
    date: dt.date | None
    file: str
    sheet: str | None
    row: int
    column: str  # where the respondent's code is
    wave_column: str = "wave"
    date_column: str = "date"

    @property
    def key(self) -> tuple:
        return (self.instrument, self.respondent, self.wave, self.date)

    def problem(self, value, expected: Text, column: str | None = None) -> Problem:
        return Problem(self.file, self.row, column or self.column, value, expected, sheet=self.sheet)

    def where(self) -> Text:
        sheet_nl = f"blad '{self.sheet}', " if self.sheet else ""
        sheet_en = f"sheet '{self.sheet}', " if self.sheet else ""
        return Text(f"{self.file}, {sheet_nl}rij {self.row}", f"{self.file}, {sheet_en}row {self.row}")


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
        problems.append(Problem(where, None, "follows_up", follows_up, Text(
            f"de naam van een andere vragenlijst in questionnaires/ ({', '.join(sorted(known - {form.name})) or '-'}). "
            f"Er is niets van '{form.name}' ingelezen.",
            f"the name of another questionnaire in questionnaires/ ({', '.join(sorted(known - {form.name})) or '-'}). "
            f"Nothing of '{form.name}' was imported.")))
    if key is not None and not form.has(key):
        problems.append(Problem(where, None, "respondent_key", key, Text(
            f"de naam van een vraag van '{form.name}' met de code van de deelnemer. Er is niets van "
            f"'{form.name}' ingelezen.",
            f"the name of a question of '{form.name}' that holds the participant's code. Nothing of "
            f"'{form.name}' was imported.")))
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


def check_follow_ups(submissions: list[Submission], follows: dict[str, str], *, order_alone: bool = True):
    """The follow-up checks (module docs) over every submission read: ``(problems, rejected keys)``.

    ``follows``: each follow-up form's earlier form (forms in a loop are left out by the caller).
    ``order_alone``: also check that the waves of a form that is no part of a chain are in date order.
    """
    roots, _loops = chain_roots(follows)
    problems: list[Problem] = []
    rejected: set[tuple] = set()

    def reject(s: Submission, value, text: Text, column: str | None = None) -> None:
        problems.append(s.problem(value, text, column))
        rejected.add(s.key)

    root_of = {s.instrument: roots.get(s.instrument, s.instrument) for s in submissions}
    first_wave: dict[tuple[str, str], int] = {}
    registered: dict[str, set[str]] = {}
    for s in submissions:
        if root_of[s.instrument] == s.instrument:
            registered.setdefault(s.instrument, set()).add(s.respondent)
            if s.wave is not None:
                k = (s.instrument, s.respondent)
                first_wave[k] = min(first_wave.get(k, s.wave), s.wave)
    in_chain = {r for name, r in roots.items() if name != r}
    # the first form first, then its follow-ups: the earlier form's answer counts
    depth = {name: _depth(name, follows) for name in root_of}
    ordered = sorted(submissions, key=lambda s: (depth[s.instrument], s.instrument))
    held: dict[tuple, Submission] = {}
    for s in ordered:
        root = root_of[s.instrument]
        if root != s.instrument:
            if s.respondent not in registered.get(root, set()):
                reject(s, s.respondent, Text(
                    f"een deelnemer die eerst de vragenlijst '{root}' invulde (de registratie). "
                    f"{s.respondent} staat niet in de antwoorden daarvan (of die rij heeft een fout)",
                    f"a participant who answered the questionnaire '{root}' first (the registration). "
                    f"{s.respondent} is not in its answers (or its row there has an error)"))
                continue
            first = first_wave.get((root, s.respondent))
            if s.wave is not None and first is not None and s.wave <= first:
                reject(s, s.wave, Text(
                    f"een meting na de eerste meting van {s.respondent} in '{root}' (meting {first})",
                    f"a wave after the first wave of {s.respondent} in '{root}' (wave {first})"), s.wave_column)
                continue
        if s.wave is None:
            continue
        k = (root, s.respondent, s.wave)
        if k in held and held[k].instrument != s.instrument:
            where = held[k].where()
            reject(s, s.wave, Text(
                f"één keer per meting; {s.respondent} vulde meting {s.wave} al in bij '{held[k].instrument}' "
                f"({where.nl})",
                f"once per wave; {s.respondent} already answered wave {s.wave} in '{held[k].instrument}' "
                f"({where.en})"), s.wave_column)
            continue
        held.setdefault(k, s)
    _check_dates(held, in_chain if not order_alone else None, reject)
    return problems, rejected


def _depth(name: str, follows: dict[str, str]) -> int:
    """How many forms come before ``name`` in its chain."""
    depth, at = 0, name
    while follows.get(at) and depth <= len(follows):
        at, depth = follows[at], depth + 1
    return depth


def _check_dates(held: dict[tuple, Submission], only: set | None, reject) -> None:
    """A later wave dated before an earlier one of the same respondent (in the same chain)."""
    per: dict[tuple, list[Submission]] = {}
    for (root, person, _wave), s in held.items():
        if only is None or root in only:
            per.setdefault((root, person), []).append(s)
    for subs in per.values():
        latest: Submission | None = None
        for s in sorted(subs, key=lambda s: s.wave):
            if s.date is None:
                continue
            if latest is not None and s.date < latest.date:
                where = latest.where()
                reject(s, s.date.strftime("%d-%m-%Y"), Text(
                    f"een datum na meting {latest.wave} van {s.respondent} ({latest.date:%d-%m-%Y}, {where.nl}): "
                    f"de metingen staan niet in de goede volgorde",
                    f"a date after wave {latest.wave} of {s.respondent} ({latest.date:%d-%m-%Y}, {where.en}): "
                    f"the waves are out of order"), s.date_column)
                continue
            latest = s


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


def earlier_answers(study, form):
    """For the private paper follow-up form: the answers (raw codes, as read and checked by
    ``load_study_responses``) of ``form``'s chain, without the people who withdrew their consent;
    and the registered respondents (those in the chain's first form), sorted."""
    import polars as pl

    from impact.privacy import load_consent, withdrawn_ids
    from impact.questionnaires.responses import load_study_responses

    chain = chain_forms(study, form)
    table, _problems = load_study_responses(study)
    consent, _ = load_consent(study)
    gone = withdrawn_ids(consent) if consent is not None else set()
    rows = table.filter(pl.col("instrument").is_in(chain) & ~pl.col("respondent").is_in(sorted(gone)))
    registered = sorted(rows.filter(pl.col("instrument") == chain[-1])["respondent"].unique().to_list())
    return rows, registered


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
