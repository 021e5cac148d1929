"""Research question 3: how do informal and formal actors look at the buurtbaan?

Pure functions over the processed ``codings``, ``transcripts``,
``codebook``, ``consent`` and ``msc_stories`` tables (docs/data-model.md).

The unit of counting is *an interview in which a code occurs* (a
document-code pair), not a coded segment: one talkative person, or two
coders coding the same passage, then do not weigh more than one interview.

Example:
    >>> import polars as pl
    >>> codings = pl.DataFrame({"document": ["I1", "I1", "I2"], "code": ["vertrouwen"] * 3,
    ...     "start": [0, 5, 0], "end": [4, 9, 4], "coder": ["p_x"] * 3, "text": ["a", "b", "c"]})
    >>> transcripts = pl.DataFrame({"document": ["I1", "I2"], "actor_type": ["informal", "formal"]})
    >>> code_by_actor(codings, transcripts).select("actor_type", "interviews", "segments").rows()
    [('formal', 1, 1), ('informal', 1, 2)]
"""

from __future__ import annotations

from impact.data import interviews_only
from impact.errors import Text, require_columns
from impact.vocabulary import ACTOR_TYPES, GREY, PALETTE, ROLES, code_labels, join_words, labels

VERDICTS: dict[str, Text] = {
    "both": Text("Beide groepen noemen dit"),
    "informal": Text("Vooral mensen uit de buurt"),
    "formal": Text("Vooral organisaties"),
    "rare": Text("Weinig genoemd"),
}


def _check(frame, columns: set[str], table: str) -> None:
    require_columns(frame, columns, table)


def _themes(codings, codebook, level: str):
    """Replace each code by its top-level parent when ``level == "theme"``."""
    import polars as pl

    if level == "code" or codebook is None:
        return codings
    parents = dict(codebook.select("code", "parent").iter_rows())

    def top(code: str) -> str:
        seen = set()
        while parents.get(code) and code not in seen:
            seen.add(code)
            code = parents[code]
        return code

    mapping = {c: top(c) for c in set(codings["code"].to_list())}
    return codings.with_columns(pl.col("code").replace_strict(mapping, default=pl.col("code")))


def _pairs(codings, transcripts, codebook=None, level: str = "code"):
    """One row per (interview, code) with the interview's actor type (answers: see answer_mentions)."""
    import polars as pl

    _check(codings, {"document", "code"}, "codings")
    _check(transcripts, {"document", "actor_type"}, "transcripts")
    transcripts = interviews_only(transcripts)
    c = _themes(codings, codebook, level)
    return (c.join(transcripts.select("document", "actor_type"), on="document", how="inner")
            .filter(pl.col("actor_type").is_in(["informal", "formal"])))


def coded_interviews(codings, transcripts) -> dict[str, int]:
    """Coded interviews per actor type: ``{"informal": n, "formal": m}``."""
    pairs = _pairs(codings, transcripts)
    docs = pairs.select("document", "actor_type").unique()
    return {t: int((docs["actor_type"] == t).sum()) for t in ("informal", "formal")}


def code_by_actor(codings, transcripts, codebook=None, level: str = "code", lang: str = "nl"):
    """How often each code occurs per actor type.

    ``level="theme"`` rolls codes up to their top-level parent in the
    codebook. Returns ``code``, ``label`` (the codebook's label in
    ``lang``), ``actor_type``, ``actor_label``,
    ``interviews`` (interviews with the code), ``segments`` (coded passages,
    the same passage by two coders counted once), ``share`` (of that actor
    type's coded interviews).
    """
    import polars as pl

    pairs = _pairs(codings, transcripts, codebook, level)
    totals = coded_interviews(codings, transcripts)
    seg_key = [c for c in ("document", "code", "start", "end") if c in pairs.columns]
    names = labels(ACTOR_TYPES, lang)
    return (pairs.unique(subset=seg_key)
            .group_by(["code", "actor_type"])
            .agg(pl.col("document").n_unique().cast(pl.Int64).alias("interviews"),
                 pl.len().cast(pl.Int64).alias("segments"))
            .with_columns(
                pl.col("actor_type").replace_strict(names).alias("actor_label"),
                (pl.col("interviews") / pl.col("actor_type").replace_strict(totals, return_dtype=pl.Float64))
                .round(3).alias("share"))
            .with_columns(_label(codebook, lang))
            .select("code", "label", "actor_type", "actor_label", "interviews", "segments", "share")
            .sort(["code", "actor_type"]))


def _label(codebook, lang: str):
    """A ``label`` column: each code's label from the codebook (or the code made readable)."""
    import polars as pl

    from impact.vocabulary import humanise

    names = code_labels(codebook, lang)
    return pl.col("code").map_elements(lambda c: names.get(c) or humanise(c), return_dtype=pl.Utf8).alias("label")


def actor_code_test(codings, transcripts, codebook=None, level: str = "code"):
    """Chi-square test of independence between code and actor type, with Cramer's V.

    Observations are document-code pairs. Uses
    ``pingouin.chi2_independence`` without Yates' correction, so the
    statistic is the plain Pearson chi-square. ``small_expected`` is the
    share of cells with an expected count below 5 (above 0.2 the p-value is
    not reliable; the notebook says so).

    Returns one row: ``chi2``, ``dof``, ``p``, ``cramers_v``, ``n``,
    ``small_expected``. Null values when there are fewer than two codes or
    actor types.
    """
    import polars as pl

    pairs = _pairs(codings, transcripts, codebook, level).select("document", "code", "actor_type").unique()
    schema = {"chi2": pl.Float64, "dof": pl.Int64, "p": pl.Float64, "cramers_v": pl.Float64,
              "n": pl.Int64, "small_expected": pl.Float64}
    if pairs["code"].n_unique() < 2 or pairs["actor_type"].n_unique() < 2:
        return pl.DataFrame([(None, None, None, None, pairs.height, None)], schema=schema, orient="row")
    import warnings

    import pingouin as pg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pingouin warns on low expected counts; we report them instead
        expected, _, stats = pg.chi2_independence(pairs.to_pandas(), x="code", y="actor_type",
                                                  correction=False)
    row = stats[stats["test"] == "pearson"].iloc[0]
    dof = (pairs["code"].n_unique() - 1) * (pairs["actor_type"].n_unique() - 1)
    small = float((expected.to_numpy() < 5).mean())
    return pl.DataFrame([(float(row["chi2"]), dof, float(row["pval"]), float(row["cramer"]),
                          pairs.height, round(small, 3))], schema=schema, orient="row")


def agreement_themes(codings, transcripts, codebook=None, level: str = "code", lang: str = "nl",
                     threshold: float = 0.2, min_share: float = 0.25):
    """Where informal and formal actors agree and where they differ.

    Per code: the share of each group's coded interviews that mention it.
    ``verdict``: ``both`` when both shares are at least ``min_share`` and
    differ by at most ``threshold``; ``informal`` / ``formal`` when that
    group's share is higher by more than ``threshold``; otherwise ``rare``.

    Returns ``code``, ``label``, ``informal_share``, ``formal_share``, ``difference``
    (informal - formal), ``verdict``, ``informal_percent``, ``formal_percent``
    (the shares in whole percent, for tables), ``verdict_label``.
    """
    import polars as pl

    table = code_by_actor(codings, transcripts, codebook, level, lang)
    wide = (table.pivot(on="actor_type", index="code", values="share")
            if table.height else pl.DataFrame(schema={"code": pl.Utf8}))
    for t in ("informal", "formal"):
        if t not in wide.columns:
            wide = wide.with_columns(pl.lit(None, pl.Float64).alias(t))
    diff = (pl.col("informal_share") - pl.col("formal_share")).round(3)
    verdict = (pl.when(diff > threshold).then(pl.lit("informal"))
               .when(diff < -threshold).then(pl.lit("formal"))
               .when((pl.col("informal_share") >= min_share) & (pl.col("formal_share") >= min_share))
               .then(pl.lit("both"))
               .otherwise(pl.lit("rare")))
    names = {k: v(lang) for k, v in VERDICTS.items()}
    return (wide.select("code", _label(codebook, lang), pl.col("informal").fill_null(0.0).alias("informal_share"),
                        pl.col("formal").fill_null(0.0).alias("formal_share"))
            .with_columns(diff.alias("difference"), verdict.alias("verdict"),
                          (pl.col("informal_share") * 100).round(0).cast(pl.Int64).alias("informal_percent"),
                          (pl.col("formal_share") * 100).round(0).cast(pl.Int64).alias("formal_percent"))
            .with_columns(pl.col("verdict").replace_strict(names).alias("verdict_label"))
            .sort(["verdict", "code"]))


def quotes_by_actor(codings, transcripts, code: str, n: int = 2, consent=None, lang: str = "nl",
                    max_chars: int = 300):
    """Up to ``n`` interview quotes for ``code`` from each actor type (``impact.quoting.pick``).

    Returns ``actor_type``, ``quote``, ``who`` (a role, never a name).
    """
    from impact.quoting import pick

    return pick(codings, transcripts, consent, codes=code, per="actor_type", n=n, max_chars=max_chars,
                lang=lang).select("actor_type", "quote", "who")


def side_by_side(quotes, lang: str = "nl"):
    """Quotes of informal and formal actors next to each other (one column each)."""
    import polars as pl

    inf = quotes.filter(pl.col("actor_type") == "informal")["quote"].to_list()
    frm = quotes.filter(pl.col("actor_type") == "formal")["quote"].to_list()
    rows = max(len(inf), len(frm))
    inf += [""] * (rows - len(inf))
    frm += [""] * (rows - len(frm))
    names = labels(ACTOR_TYPES, lang)
    return pl.DataFrame({names["informal"]: inf, names["formal"]: frm},
                        schema={names["informal"]: pl.Utf8, names["formal"]: pl.Utf8})


# --- open answers in the questionnaires ----------------------------------------

def _answer_corpus(codings, transcripts):
    import polars as pl

    from impact.coding.corpus import Corpus

    docs = transcripts.filter(pl.col("source_kind") == "answer") if "source_kind" in transcripts.columns \
        else transcripts.clear()
    # a study processed before open answers were documents: no answers, the same columns
    docs = docs.with_columns([pl.lit(None, dtype).alias(c) for c, dtype in
                              (("source_kind", pl.Utf8), ("role", pl.Utf8), ("interviewee", pl.Utf8),
                               ("wave", pl.Int8), ("consent", pl.Boolean)) if c not in docs.columns])
    cod = codings.join(docs.select("document"), on="document", how="semi")
    return Corpus.from_tables(docs, cod.select("document", "start", "end", "code", "coder"))


def answer_mentions(codings, transcripts, lang: str = "nl", min_share: float = 0.0, codebook=None):
    """Per code and role: how many people mention it in their open answers.

    ``respondents`` people of that role mention the code (a person counts
    once, whatever the number of answers or coders), ``persons`` people of
    that role gave an open answer, ``percent`` = respondents / persons.
    Returns code, label (the codebook's, with ``codebook``), role, role_label, respondents, persons,
    percent.
    """
    import polars as pl

    from impact.coding.analysis import respondents_mentioning

    table = respondents_mentioning(_answer_corpus(codings, transcripts), by="role", source_kind="answer")
    names = labels(ROLES, lang)
    return (table.filter(pl.col("share") >= min_share)
            .with_columns(pl.col("role").replace_strict(names, default=pl.col("role")).alias("role_label"),
                          (pl.col("share") * 100).round(0).cast(pl.Int64).alias("percent"), _label(codebook, lang))
            .select("code", "label", "role", "role_label", "respondents", "persons", "percent")
            .sort(["role", "respondents", "code"], descending=[False, True, False]))


def answer_ladder_tests(codings, transcripts, responses, lang: str = "nl", instrument: str = "buurtbaners",
                        codebook=None):
    """Is a code in the open answers linked to the Participatieladder step of the same questionnaire?

    Per code: answers with the code, the test used (Fisher / chi-square)
    and p, or why there is no test (too few answers). Returns code, label,
    with_code, n, result.
    """
    import polars as pl

    from impact.coding.answers import closed_answer_tests

    schema = {"code": pl.Utf8, "with_code": pl.Int64, "n": pl.Int64, "result": pl.Utf8}
    corpus = _answer_corpus(codings, transcripts)
    if corpus.documents.height == 0 or responses.filter(pl.col("item") == "ladder").height == 0:
        return pl.DataFrame(schema=schema).with_columns(_label(codebook, lang)).select("code", "label", *list(schema)[1:])
    tests = closed_answer_tests(corpus, responses, "ladder", instrument=instrument)

    def result(row) -> str:
        if row["p"] is None:
            return row["note_en"] if lang == "en" else row["note_nl"]
        p = f"{row['p']:.3f}" if lang == "en" else f"{row['p']:.3f}".replace(".", ",")
        name = {"fisher": "Fisher", "chi2": Text("chi-kwadraat")(lang)}[row["test"]]
        return f"{name}: p = {p}"

    return (pl.DataFrame([{"code": r["code"], "with_code": r["with_code"], "n": r["n"], "result": result(r)}
                          for r in tests.iter_rows(named=True)], schema=schema)
            .with_columns(_label(codebook, lang)).select("code", "label", *list(schema)[1:]))


def answer_quotes(codings, transcripts, code: str, n: int = 3, consent=None, lang: str = "nl",
                  max_chars: int = 300):
    """Up to ``n`` open answers coded ``code`` (``impact.quoting.pick``), with the role and wave, never a name.

    Returns quote, who.
    """
    from impact.quoting import pick

    return pick(codings, _answer_corpus(codings, transcripts).documents, consent, codes=code,
                source_kind="answer", n=n, max_chars=max_chars, lang=lang).select("quote", "who")


# --- Most Significant Change ---------------------------------------------------

def msc_summary(stories, lang: str = "nl"):
    """Stories and the panel's choices per domain: ``domain``, ``stories``, ``chosen``."""
    import polars as pl

    _check(stories, {"story_id", "domain", "panel_choice"}, "msc_stories")
    return (stories.group_by("domain")
            .agg(pl.len().cast(pl.Int64).alias("stories"),
                 pl.col("panel_choice").fill_null(False).sum().cast(pl.Int64).alias("chosen"))
            .sort("domain"))


def msc_stories(stories, lang: str = "nl", chosen_only: bool = True):
    """The stories to show: ``domain``, ``story``, ``choice`` (ja/nee), ``reasons``; no storyteller.

    Stories are already redacted by ``impact process``.
    """
    import polars as pl

    _check(stories, {"story_id", "domain", "story", "panel_choice"}, "msc_stories")
    yes, no = Text("ja")(lang), Text("nee")(lang)
    s = stories.filter(pl.col("panel_choice").fill_null(False)) if chosen_only else stories
    reasons = pl.col("panel_reasons") if "panel_reasons" in s.columns else pl.lit(None, pl.Utf8)
    return (s.sort(["domain", "story_id"])
            .select("domain", "story",
                    pl.when(pl.col("panel_choice").fill_null(False)).then(pl.lit(yes)).otherwise(pl.lit(no))
                    .alias("choice"),
                    reasons.fill_null("").alias("reasons")))


# --- charts ---------------------------------------------------------------


def _actor_domain(codings, transcripts, lang: str, k: int | None = None) -> dict[str, str]:
    """Each actor type's label with the number of coded interviews it stands for: "Organisaties (n = 10)".

    With ``k``: a group of fewer than ``k`` interviews (one interview is one person) reads
    "Organisaties (n < 5, niet getoond)": its shares would tell what those few persons said.
    """
    n = coded_interviews(codings, transcripts)
    names = labels(ACTOR_TYPES, lang)
    hidden = Text("niet getoond")(lang)
    return {t: (f"{names[t]} (n < {k}, {hidden})" if k and 0 < n[t] < k else f"{names[t]} (n = {n[t]})")
            for t in ("informal", "formal")}


def _few(codings, transcripts, k: int | None) -> set[str]:
    """The actor types with fewer than ``k`` coded interviews (none without ``k``)."""
    n = coded_interviews(codings, transcripts)
    return {t for t, m in n.items() if k and 0 < m < k}


def code_actor_chart(codings, transcripts, codebook=None, level: str = "code", lang: str = "nl",
                     k: int | None = None):
    """Share of interviews that mention each code, people from the neighbourhood next to organisations.

    The groups differ in size, so bars are shares of each group's coded
    interviews, and the legend says how many interviews each group has.
    Codes are sorted by how often both groups together mention them. With
    ``k``, a group of fewer than ``k`` interviews gets no bars (its legend
    says so).
    """
    import altair as alt
    import polars as pl

    table = code_by_actor(codings, transcripts, codebook, level, lang)
    table = table.filter(~pl.col("actor_type").is_in(list(_few(codings, transcripts, k))))
    groups = _actor_domain(codings, transcripts, lang, k)
    order = (table.group_by("label").agg(pl.col("share").sum()).sort(["share", "label"], descending=[True, False])
             ["label"].to_list())
    data = table.with_columns(pl.col("actor_type").replace_strict(groups).alias("group")).to_pandas()
    domain = [groups["informal"], groups["formal"]]
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("label:N", sort=order, title=None),
        yOffset=alt.YOffset("group:N", sort=domain),
        x=alt.X("share:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]),
                title=Text("Deel van de interviews")(lang)),
        color=alt.Color("group:N", title=None, sort=domain, legend=alt.Legend(orient="top", direction="vertical"),
                        scale=alt.Scale(domain=domain, range=PALETTE[:2])),
    ).properties(width=360)


def agreement_chart(agreement, lang: str = "nl", codings=None, transcripts=None, k: int | None = None):
    """Dumbbells: per code the share of each group's interviews, joined by a line; sorted by difference.

    With ``codings`` and ``transcripts`` the legend says how many interviews
    each group has; with ``k`` too, a group of fewer than ``k`` interviews
    gets no dots (its legend says so).
    """
    import altair as alt
    import polars as pl

    groups = _actor_domain(codings, transcripts, lang, k) if codings is not None else labels(ACTOR_TYPES, lang)
    few = _few(codings, transcripts, k) if codings is not None else set()
    inf, frm = groups["informal"], groups["formal"]
    long = (agreement.select("label", "verdict_label", pl.col("informal_share").alias(inf),
                             pl.col("formal_share").alias(frm))
            .unpivot(index=["label", "verdict_label"], variable_name="actor", value_name="share")
            .filter(~pl.col("actor").is_in([groups[t] for t in few])).to_pandas())
    order = agreement.sort(["difference", "label"], descending=[True, False])["label"].to_list()
    base = alt.Chart(long).encode(y=alt.Y("label:N", sort=order, title=None))
    line = base.mark_line(color=GREY).encode(x="share:Q", detail="label:N")
    dots = base.mark_point(filled=True, size=90, opacity=1).encode(
        x=alt.X("share:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]),
                title=Text("Deel van de interviews")(lang)),
        color=alt.Color("actor:N", title=None, sort=[inf, frm], legend=alt.Legend(orient="top", direction="vertical"),
                        scale=alt.Scale(domain=[inf, frm], range=PALETTE[:2])),
        shape=alt.Shape("actor:N", sort=[inf, frm], legend=None))
    return (line + dots).properties(width=360)


# --- words for the notebook -------------------------------------------------

def chi2_sentence(result, lang: str = "nl") -> str:
    """The chi-square result in one plain sentence."""
    r = result.row(0, named=True)
    if r["chi2"] is None:
        return Text("Er zijn te weinig codes of groepen om te toetsen.")(lang)
    p = "< 0,001" if r["p"] < 0.001 else f"= {r['p']:.3f}".replace(".", ",")
    chi2_nl = f"{r['chi2']:.1f}".replace(".", ",")
    p_en = "< 0.001" if r["p"] < 0.001 else f"= {r['p']:.3f}"
    strength = ("klein", "small") if r["cramers_v"] < 0.3 else ("middelgroot", "medium") \
        if r["cramers_v"] < 0.5 else ("groot", "large")
    caution = ""
    if r["small_expected"] and r["small_expected"] > 0.2:
        caution = Text(" Let op: veel cellen zijn klein, de p-waarde is dan minder zeker.")(lang)
    v = f"{r['cramers_v']:.2f}"
    return Text("Chi-kwadraat = {chi2_nl} (df = {dof}), p {p}. Cramérs V = {replace}: het verschil tussen "
                "mensen uit de buurt en organisaties is {value}.{caution}",
                chi2_nl=chi2_nl, dof=r['dof'], p=p, replace=v.replace('.', ','), value=strength[0], caution=caution, chi2=r['chi2'], p_en=p_en, v=v, value2=strength[1])(lang)


def themes_by_verdict(agreement, n: int = 3) -> dict[str, list[str]]:
    """The ``n`` codes that say most per verdict: ``both`` (most mentioned by the two groups together),
    ``informal`` and ``formal`` (the biggest difference that way). Every page that names themes uses this."""
    import polars as pl

    both = agreement.filter(pl.col("verdict") == "both").sort(
        [pl.col("informal_share") + pl.col("formal_share"), "code"], descending=[True, False])
    informal = agreement.filter(pl.col("verdict") == "informal").sort(["difference", "code"],
                                                                      descending=[True, False])
    formal = agreement.filter(pl.col("verdict") == "formal").sort(["difference", "code"])
    return {"both": both["code"].to_list()[:n], "informal": informal["code"].to_list()[:n],
            "formal": formal["code"].to_list()[:n]}


def agreement_text(agreement, lang: str = "nl") -> dict[str, str]:
    """Title, takeaway and description of the agreement chart (themes by their label)."""
    label = dict(agreement.select("code", "label").iter_rows())
    chosen = themes_by_verdict(agreement)

    def named(verdict: str) -> str:
        return join_words([label[c].lower() for c in chosen[verdict]], lang) or "-"

    return {
        "title": Text("Waar zijn ze het over eens?")(lang),
        "takeaway": Text("Beide groepen noemen vaak: {named}. Mensen uit de buurt praten vaker over "
                         "{named2}. Organisaties praten vaker over {named3}.",
                         named=named('both'), named2=named('informal'), named3=named('formal'))(lang),
        "description": Text("Per thema twee punten op een lijn: het deel van de interviews met mensen uit de "
                            "buurt en het deel van de interviews met organisaties waarin het thema voorkomt. "
                            "Hoe langer de lijn, hoe groter het verschil.")(lang),
    }


def featured_codes(agreement, n: int = 3) -> list[str]:
    """Codes worth reading quotes for: the most shared one first, then the biggest differences."""
    import polars as pl

    both = agreement.filter(pl.col("verdict") == "both").sort(
        pl.col("informal_share") + pl.col("formal_share"), descending=True)["code"].to_list()
    split = agreement.filter(pl.col("verdict").is_in(["informal", "formal"])).sort(
        pl.col("difference").abs(), descending=True)["code"].to_list()
    picked = both[:1] + split[: n - min(1, len(both))]
    return picked[:n] or agreement.sort("code")["code"].to_list()[:n]
