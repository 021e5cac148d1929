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

from impact.errors import Text, require_columns
from impact.trajectories import PALETTE

ACTOR_LABELS: dict[str, Text] = {
    "informal": Text("Informeel", "Informal"),
    "formal": Text("Formeel", "Formal"),
}

ONE_OF_ROLE: dict[str, Text] = {
    "buurtbaner": Text("buurtbaner", "buurtbaner"), "key_person": Text("sleutelpersoon", "key person"),
    "resident": Text("bewoner", "resident"), "volunteer": Text("vrijwilliger", "volunteer"),
    "formal_actor": Text("formele actor", "formal actor"),
}

VERDICTS: dict[str, Text] = {
    "both": Text("Beide groepen noemen dit", "Both groups mention this"),
    "informal": Text("Vooral informele actoren", "Mostly informal actors"),
    "formal": Text("Vooral formele actoren", "Mostly formal actors"),
    "rare": Text("Weinig genoemd", "Rarely mentioned"),
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


def interviews_only(transcripts):
    """The interviews of the documents table (open questionnaire answers are documents too)."""
    import polars as pl

    if "source_kind" not in transcripts.columns:
        return transcripts
    return transcripts.filter(pl.col("source_kind").fill_null("interview") == "interview")


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
    codebook. Returns ``code``, ``actor_type``, ``actor_label``,
    ``interviews`` (interviews with the code), ``segments`` (coded passages,
    the same passage by two coders counted once), ``share`` (of that actor
    type's coded interviews).
    """
    import polars as pl

    pairs = _pairs(codings, transcripts, codebook, level)
    totals = coded_interviews(codings, transcripts)
    seg_key = [c for c in ("document", "code", "start", "end") if c in pairs.columns]
    names = {k: v(lang) for k, v in ACTOR_LABELS.items()}
    return (pairs.unique(subset=seg_key)
            .group_by(["code", "actor_type"])
            .agg(pl.col("document").n_unique().cast(pl.Int64).alias("interviews"),
                 pl.len().cast(pl.Int64).alias("segments"))
            .with_columns(
                pl.col("actor_type").replace_strict(names).alias("actor_label"),
                (pl.col("interviews") / pl.col("actor_type").replace_strict(totals, return_dtype=pl.Float64))
                .round(3).alias("share"))
            .select("code", "actor_type", "actor_label", "interviews", "segments", "share")
            .sort(["code", "actor_type"]))


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

    Returns ``code``, ``informal_share``, ``formal_share``, ``difference``
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
    return (wide.select("code", pl.col("informal").fill_null(0.0).alias("informal_share"),
                        pl.col("formal").fill_null(0.0).alias("formal_share"))
            .with_columns(diff.alias("difference"), verdict.alias("verdict"),
                          (pl.col("informal_share") * 100).round(0).cast(pl.Int64).alias("informal_percent"),
                          (pl.col("formal_share") * 100).round(0).cast(pl.Int64).alias("formal_percent"))
            .with_columns(pl.col("verdict").replace_strict(names).alias("verdict_label"))
            .sort(["verdict", "code"]))


def quotes_by_actor(codings, transcripts, code: str, n: int = 2, consent=None, lang: str = "nl",
                    max_chars: int = 300):
    """Up to ``n`` quotes for ``code`` from each actor type (redacted text, no persons).

    Only interviews with ``consent`` true in ``transcripts`` are used; when
    the ``consent`` table is given, also only interviewees who agreed to
    quotes. The same passage coded by two coders appears once. Quotes are
    chosen in a stable order (document, position) and cut at ``max_chars``.

    Returns ``actor_type``, ``quote``, ``who`` (actor type and kind of
    organisation, never a name).
    """
    import polars as pl

    _check(codings, {"document", "code", "start", "end", "text"}, "codings")
    t = interviews_only(transcripts)
    if "consent" in t.columns:
        t = t.filter(pl.col("consent").fill_null(False))
    if consent is not None and "interviewee" in t.columns:
        ok = consent.filter(pl.col("quotes").fill_null(False))["person"].to_list()
        t = t.filter(pl.col("interviewee").is_in(ok))
    kind = "organisation_kind" if "organisation_kind" in t.columns else None
    cols = ["document", "actor_type"] + ([kind] if kind else [])
    names = {k: v(lang) for k, v in ACTOR_LABELS.items()}
    picked = (codings.filter((pl.col("code") == code) & pl.col("text").is_not_null()
                             & (pl.col("text").str.strip_chars() != ""))
              .unique(subset=["document", "start", "end"])
              .join(t.select(cols), on="document", how="inner")
              .filter(pl.col("actor_type").is_in(["informal", "formal"]))
              .sort(["actor_type", "document", "start"])
              .group_by("actor_type", maintain_order=True).head(n))
    text = pl.col("text").str.strip_chars()
    quote = (pl.when(text.str.len_chars() > max_chars)
             .then(text.str.slice(0, max_chars - 1) + pl.lit("…")).otherwise(text))
    who = pl.col("actor_type").replace_strict(names).str.to_lowercase()
    if kind:
        who = pl.when(pl.col(kind).is_not_null()).then(who + pl.lit(", ") + pl.col(kind)).otherwise(who)
    return picked.select("actor_type", quote.alias("quote"), who.alias("who"))


def side_by_side(quotes, lang: str = "nl"):
    """Quotes of informal and formal actors next to each other (one column each)."""
    import polars as pl

    inf = quotes.filter(pl.col("actor_type") == "informal")["quote"].to_list()
    frm = quotes.filter(pl.col("actor_type") == "formal")["quote"].to_list()
    rows = max(len(inf), len(frm))
    inf += [""] * (rows - len(inf))
    frm += [""] * (rows - len(frm))
    return pl.DataFrame({ACTOR_LABELS["informal"](lang): inf, ACTOR_LABELS["formal"](lang): frm},
                        schema={ACTOR_LABELS["informal"](lang): pl.Utf8, ACTOR_LABELS["formal"](lang): pl.Utf8})


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


def answer_mentions(codings, transcripts, lang: str = "nl", min_share: float = 0.0):
    """Per code and role: how many people mention it in their open answers.

    ``respondents`` people of that role mention the code (a person counts
    once, whatever the number of answers or coders), ``persons`` people of
    that role gave an open answer, ``percent`` = respondents / persons.
    Returns code, role, role_label, respondents, persons, percent.
    """
    import polars as pl

    from impact.coding.analysis import respondents_mentioning
    from impact.data import ROLE_LABELS

    table = respondents_mentioning(_answer_corpus(codings, transcripts), by="role", source_kind="answer")
    names = {k: v(lang) for k, v in ROLE_LABELS.items()}
    return (table.filter(pl.col("share") >= min_share)
            .with_columns(pl.col("role").replace_strict(names, default=pl.col("role")).alias("role_label"),
                          (pl.col("share") * 100).round(0).cast(pl.Int64).alias("percent"))
            .select("code", "role", "role_label", "respondents", "persons", "percent")
            .sort(["role", "respondents", "code"], descending=[False, True, False]))


def answer_ladder_tests(codings, transcripts, responses, lang: str = "nl", instrument: str = "buurtbaners"):
    """Is a code in the open answers linked to the Participatieladder step of the same questionnaire?

    Per code: answers with the code, the test used (Fisher / chi-square)
    and p, or why there is no test (too few answers). Returns code,
    with_code, n, result.
    """
    import polars as pl

    from impact.coding.answers import closed_answer_tests

    corpus = _answer_corpus(codings, transcripts)
    if corpus.documents.height == 0 or responses.filter(pl.col("item") == "ladder").height == 0:
        return pl.DataFrame(schema={"code": pl.Utf8, "with_code": pl.Int64, "n": pl.Int64, "result": pl.Utf8})
    tests = closed_answer_tests(corpus, responses, "ladder", instrument=instrument)

    def result(row) -> str:
        if row["p"] is None:
            return row["note_en"] if lang == "en" else row["note_nl"]
        p = f"{row['p']:.3f}" if lang == "en" else f"{row['p']:.3f}".replace(".", ",")
        name = {"fisher": "Fisher", "chi2": _t(lang, "chi-kwadraat", "chi-square")}[row["test"]]
        return f"{name}: p = {p}"

    return pl.DataFrame([{"code": r["code"], "with_code": r["with_code"], "n": r["n"], "result": result(r)}
                         for r in tests.iter_rows(named=True)],
                        schema={"code": pl.Utf8, "with_code": pl.Int64, "n": pl.Int64, "result": pl.Utf8})


def answer_quotes(codings, transcripts, code: str, n: int = 3, consent=None, lang: str = "nl",
                  max_chars: int = 300):
    """Up to ``n`` open answers coded ``code`` (redacted), with the role and wave, never a name.

    Only respondents who agreed to the questionnaire and, when ``consent``
    is given, to quotes. Returns quote, who.
    """
    import polars as pl

    t = _answer_corpus(codings, transcripts).documents
    t = t.filter(pl.col("consent").fill_null(False))
    if consent is not None:
        t = t.filter(pl.col("interviewee").is_in(consent.filter(pl.col("quotes").fill_null(False))["person"]
                                                 .to_list()))
    names = {k: v(lang) for k, v in ONE_OF_ROLE.items()}
    picked = (codings.filter((pl.col("code") == code) & pl.col("text").is_not_null())
              .unique(subset=["document", "start", "end"])
              .join(t.select("document", "role", "wave"), on="document", how="inner")
              .sort(["document", "start"]).unique(subset=["text"], keep="first", maintain_order=True).head(n))
    text = pl.col("text").str.strip_chars()
    quote = pl.when(text.str.len_chars() > max_chars).then(text.str.slice(0, max_chars - 1) + pl.lit("…")) \
        .otherwise(text)
    who = (pl.col("role").replace_strict(names, default=pl.col("role"))
           + pl.lit(_t(lang, ", meting ", ", wave ")) + pl.col("wave").cast(pl.Utf8))
    return picked.select(quote.alias("quote"), who.alias("who"))


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
    yes, no = ("yes", "no") if lang == "en" else ("ja", "nee")
    s = stories.filter(pl.col("panel_choice").fill_null(False)) if chosen_only else stories
    reasons = pl.col("panel_reasons") if "panel_reasons" in s.columns else pl.lit(None, pl.Utf8)
    return (s.sort(["domain", "story_id"])
            .select("domain", "story",
                    pl.when(pl.col("panel_choice").fill_null(False)).then(pl.lit(yes)).otherwise(pl.lit(no))
                    .alias("choice"),
                    reasons.fill_null("").alias("reasons")))


# --- charts ---------------------------------------------------------------

def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def code_actor_chart(codings, transcripts, codebook=None, level: str = "code", lang: str = "nl"):
    """Share of interviews that mention each code, informal next to formal."""
    import altair as alt

    data = code_by_actor(codings, transcripts, codebook, level, lang).to_pandas()
    domain = [ACTOR_LABELS["informal"](lang), ACTOR_LABELS["formal"](lang)]
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("code:N", title=_t(lang, "Code", "Code")),
        yOffset=alt.YOffset("actor_label:N", sort=domain),
        x=alt.X("share:Q", axis=alt.Axis(format="%"),
                title=_t(lang, "Deel van de interviews", "Share of interviews")),
        color=alt.Color("actor_label:N", title=_t(lang, "Actor", "Actor"), sort=domain,
                        scale=alt.Scale(domain=domain, range=PALETTE[:2])),
    ).properties(width=420)


def agreement_chart(agreement, lang: str = "nl"):
    """Dumbbells: per code the informal share and the formal share, joined by a line."""
    import altair as alt
    import polars as pl

    inf, frm = ACTOR_LABELS["informal"](lang), ACTOR_LABELS["formal"](lang)
    long = (agreement.select("code", "verdict_label", pl.col("informal_share").alias(inf),
                             pl.col("formal_share").alias(frm))
            .unpivot(index=["code", "verdict_label"], variable_name="actor", value_name="share").to_pandas())
    order = list(agreement.sort("difference")["code"])
    base = alt.Chart(long).encode(y=alt.Y("code:N", sort=order, title=_t(lang, "Code", "Code")))
    line = base.mark_line(color="#999999").encode(x="share:Q", detail="code:N")
    dots = base.mark_point(filled=True, size=90).encode(
        x=alt.X("share:Q", axis=alt.Axis(format="%"), title=_t(lang, "Deel van de interviews", "Share of interviews")),
        color=alt.Color("actor:N", title=_t(lang, "Actor", "Actor"), sort=[inf, frm],
                        scale=alt.Scale(domain=[inf, frm], range=PALETTE[:2])),
        shape=alt.Shape("actor:N", sort=[inf, frm], legend=None))
    return (line + dots).properties(width=420)


# --- words for the notebook -------------------------------------------------

def chi2_sentence(result, lang: str = "nl") -> str:
    """The chi-square result in one plain sentence."""
    r = result.row(0, named=True)
    if r["chi2"] is None:
        return _t(lang, "Er zijn te weinig codes of groepen om te toetsen.",
                  "There are too few codes or groups to test.")
    p = "< 0,001" if r["p"] < 0.001 else f"= {r['p']:.3f}".replace(".", ",")
    p_en = "< 0.001" if r["p"] < 0.001 else f"= {r['p']:.3f}"
    strength = ("klein", "small") if r["cramers_v"] < 0.3 else ("middelgroot", "medium") \
        if r["cramers_v"] < 0.5 else ("groot", "large")
    caution = ""
    if r["small_expected"] and r["small_expected"] > 0.2:
        caution = _t(lang, " Let op: veel cellen zijn klein, de p-waarde is dan minder zeker.",
                     " Careful: many cells are small, so the p-value is less certain.")
    v = f"{r['cramers_v']:.2f}"
    return _t(lang,
              f"Chi-kwadraat = {r['chi2']:.1f} (df = {r['dof']}), p {p}. Cramér's V = {v.replace('.', ',')}: "
              f"het verschil tussen informele en formele actoren is {strength[0]}.{caution}",
              f"Chi-square = {r['chi2']:.1f} (df = {r['dof']}), p {p_en}. Cramér's V = {v}: the difference "
              f"between informal and formal actors is {strength[1]}.{caution}")


def code_actor_text(codings, transcripts, codebook=None, level: str = "code", lang: str = "nl") -> dict[str, str]:
    n = coded_interviews(codings, transcripts)
    return {
        "title": _t(lang, "Waar praten informele en formele actoren over?",
                    "What do informal and formal actors talk about?"),
        "takeaway": _t(lang, f"We vergelijken {n['informal']} interviews met informele en {n['formal']} met formele actoren.",
                       f"We compare {n['informal']} interviews with informal and {n['formal']} with formal actors."),
        "description": _t(lang, "Liggende staven per code: het deel van de interviews waarin de code voorkomt, "
                                "voor informele en formele actoren naast elkaar.",
                          "Horizontal bars per code: the share of interviews in which the code occurs, for "
                          "informal and formal actors side by side."),
    }


def agreement_text(agreement, lang: str = "nl") -> dict[str, str]:
    both = agreement.filter(agreement["verdict"] == "both")["code"].to_list()
    split = agreement.filter(agreement["verdict"].is_in(["informal", "formal"]))["code"].to_list()
    b = ", ".join(both[:3]) or "-"
    s = ", ".join(split[:3]) or "-"
    return {
        "title": _t(lang, "Waar zijn ze het over eens?", "Where do they agree?"),
        "takeaway": _t(lang, f"Beide groepen noemen vaak: {b}. Verschil zit vooral in: {s}.",
                       f"Both groups often mention: {b}. They differ most on: {s}."),
        "description": _t(lang, "Per code twee punten op een lijn: het deel van de informele en van de formele "
                                "interviews met die code. Hoe langer de lijn, hoe groter het verschil.",
                          "Per code two dots on a line: the share of informal and of formal interviews with "
                          "that code. The longer the line, the bigger the difference."),
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
