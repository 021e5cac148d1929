"""What a report section needs and the study does not have yet, in plain words.

A study made with ``impact init`` starts empty and fills up: the first
trajectories, a form, answers, a second coder. Each function here looks at
one kind of data and returns ``None`` when a section can be shown, else the
note (a ``Text``) that says what is not there yet and what to do. The
notebook shows it with ``show.missing`` and leaves the section out::

    if not show.missing(missing.agreement(corpus)):
        ...  # the agreement chart and table

Example:
    >>> import polars as pl
    >>> from impact.coding import Corpus
    >>> docs = pl.DataFrame({"document": ["I01"], "text": ["Ik kom hier graag."]})
    >>> one = pl.DataFrame({"document": ["I01"], "coder": ["BB01"], "code": ["thuis"], "start": [0], "end": [5]})
    >>> agreement(Corpus.from_tables(docs, one)).nl[:24]
    'Nog geen tweede codeur: '
"""

from __future__ import annotations

from impact.text import Text, joined

# who fills in each of the study's forms, for "no answers yet from ..."
FORM_PEOPLE: dict[str, Text] = {
    "buurtbaners": Text("buurtbaners"),
    "bewoners": Text("bewoners"),
    "bewoners_vervolg": Text("bewoners, een jaar later"),
}


def rows(tables, *names: str) -> Text | None:
    """The processed tables among ``names`` without any rows (after district and period), named for readers.

    Example: ``rows(tables, "trajectory_events", "goals")`` ->
    "Hier staan nog geen gegevens over: trajecten, doelscores (GAS). ..."
    """
    from impact.data.tables import TABLE_LABELS

    empty = [name for name in names if tables.table(name).height == 0]
    if not empty:
        return None
    labels = [TABLE_LABELS.get(name, Text(name)) for name in empty]
    return Text("Hier staan nog geen gegevens over: {tables}. Zet ze in de map {raw} en draai daarna impact process. "
                "Dan komen ze in dit rapport.",
                tables=joined(labels, separator=", "), raw=tables.study.rel(tables.study.raw))


def questionnaire(tables, instrument: str) -> Text | None:
    """The form ``questionnaires/<instrument>.xlsx`` is missing, or nobody answered it yet (here)."""
    import polars as pl

    study = tables.study
    form = study.questionnaires / f"{instrument}.xlsx"
    if not form.is_file():
        return Text("De vragenlijst {form} is er nog niet. Zet het formulier in de map {folder}. Dan "
                    "komen de antwoorden hier.",
                    form=form.name, folder=study.rel(study.questionnaires))
    answers = tables.responses
    if "instrument" in answers.columns:
        answers = answers.filter(pl.col("instrument") == instrument)
    if answers.height == 0:
        return Text("Er zijn nog geen antwoorden op de vragenlijst voor {people}.",
                    people=FORM_PEOPLE.get(instrument, Text(instrument)))
    return None


def codings(corpus) -> Text | None:
    """No coded interviews or answers yet."""
    if corpus.codings.height == 0:
        return Text("Er is nog niets gecodeerd. Codeer de interviews samen (zie het notebook 06_coderen). "
                    "Dan komen de thema's hier.")
    return None


def agreement(corpus) -> Text | None:
    """No document coded by two people yet (none coded at all, or one coder only): agreement cannot be
    measured yet."""
    import polars as pl

    most = corpus.codings.group_by("document").agg(pl.col("coder").n_unique().alias("n"))["n"].max()
    if (most or 0) < 2:
        return Text("Nog geen tweede codeur: overeenstemming meten kan pas als twee mensen hetzelfde "
                    "interview coderen.")
    return None


def memos(published) -> Text | None:
    """No memo marked for the report (``publish: ja``) yet; ``published`` is
    ``impact.coding.published_memos``."""
    if published.height == 0:
        return Text("Er zijn nog geen memo's voor het rapport. Een memo komt hier als er bij "
                    "'Mag in het rapport' een vinkje staat.")
    return None

