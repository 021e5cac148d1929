"""Research question 2: reach into the neighbourhood, "from the inside out".

Pure functions over the processed ``activities``, ``attendance``,
``contacts`` and ``people`` tables (docs/data-model.md): activities by kind,
district and month; residents reached and first-timers; the doorbell ->
conversation -> match funnel; referrals; new volunteers; and the
activation ("ripple") network with networkx.

Networks are published only as aggregates (counts per generation, the
distribution of ripple sizes, bridging per role), never as a picture of
people. Functions that return one row per person are for analysis; the
``*_summary``/``*_distribution``/``*_by_role`` functions are what a report
shows.

Example:
    >>> import polars as pl, datetime as dt
    >>> contacts = pl.DataFrame({
    ...     "date": [dt.date(2022, 1, 1)] * 3, "kind": ["volunteer_activated"] * 3,
    ...     "from_person": ["p_k", "p_a", "p_c"], "to_person": ["p_a", "p_c", "p_d"],
    ...     "to_organisation": [None] * 3, "district": ["West"] * 3})
    >>> ripple_generations(contacts)["generation"].to_list()
    [0, 1, 2, 3]
"""

from __future__ import annotations

from impact.errors import Text, require_columns
from impact.trajectories import PALETTE

CONTACT_STEPS: list[tuple[str, Text]] = [
    ("doorbell", Text("Aangebeld", "Doorbells rung")),
    ("conversation", Text("Gesprekken", "Conversations")),
    ("match", Text("Matches", "Matches")),
]

ACTIVITY_LABELS: dict[str, Text] = {
    "spreekuur": Text("Spreekuur", "Consultation hour"),
    "maaltijd": Text("Maaltijd", "Meal"),
    "wandelgroep": Text("Wandelgroep", "Walking group"),
    "taalles": Text("Taalles", "Language class"),
    "computerles": Text("Computerles", "Computer class"),
    "evenement": Text("Evenement", "Event"),
}

ROLE_LABELS: dict[str, Text] = {
    "buurtbaner": Text("Buurtbaner", "Buurtbaner"),
    "key_person": Text("Sleutelpersoon", "Key person"),
    "resident": Text("Bewoner", "Resident"),
    "volunteer": Text("Vrijwilliger", "Volunteer"),
    "formal_actor": Text("Formele actor", "Formal actor"),
    "organisation": Text("Organisatie", "Organisation"),
    "unknown": Text("Onbekend", "Unknown"),
}

_ORG = "org:"  # node prefix for organisations (they are not persons)


def _check(frame, columns: set[str], table: str) -> None:
    require_columns(frame, columns, table)


def suppress(frame, count_columns: list[str], k: int = 5):
    """Hide person counts from 1 to k-1 (set to null) before they go into a chart.

    Uses ``impact.privacy.suppress_small_cells`` when it is available, so
    charts and tables follow one rule.
    """
    import polars as pl

    try:
        from impact.privacy import suppress_small_cells
    except ImportError:
        suppress_small_cells = None
    if suppress_small_cells is not None:
        return suppress_small_cells(frame, list(count_columns), k=k)
    return frame.with_columns([
        pl.when(pl.col(c).is_between(1, k - 1)).then(None).otherwise(pl.col(c)).alias(c)
        for c in count_columns])


# --- activities and residents --------------------------------------------

def activities_by(activities, by: tuple[str, ...] | list[str] = ("kind",), lang: str = "nl"):
    """Activities, attendees and first-timers per group.

    ``by`` may hold ``kind``, ``district`` and ``month`` (the first day of the
    month of ``date``). A ``kind_label`` column (in ``lang``) is added when
    grouping by kind. Returns the ``by`` columns, ``activities``,
    ``attendees``, ``first_time_attendees``.
    """
    import polars as pl

    _check(activities, {"activity_id", "kind", "district", "date", "attendees"}, "activities")
    by = list(by)
    df = activities.with_columns(pl.col("date").dt.truncate("1mo").alias("month"))
    if "first_time_attendees" not in df.columns:
        df = df.with_columns(pl.lit(None, pl.Int64).alias("first_time_attendees"))
    out = (df.group_by(by)
           .agg(pl.len().cast(pl.Int64).alias("activities"),
                pl.col("attendees").cast(pl.Int64).sum().alias("attendees"),
                pl.col("first_time_attendees").cast(pl.Int64).sum().alias("first_time_attendees"))
           .sort(by))
    if "kind" in by:
        names = {k: v(lang) for k, v in ACTIVITY_LABELS.items()}
        out = out.with_columns(pl.col("kind").replace_strict(names, default=pl.col("kind")).alias("kind_label"))
    return out


def residents_reached(attendance, activities=None) -> dict[str, int]:
    """Unique (pseudonymous) residents at activities, and first-timers.

    ``first_timers``: people marked ``first_time`` at least once.
    ``attendances``: rows of ``attendance``. If ``activities`` is given,
    ``activities_with_list`` counts the activities that have an attendance
    list (the rest only have a head count).
    """
    import polars as pl

    _check(attendance, {"activity_id", "person"}, "attendance")
    first = attendance.filter(pl.col("first_time").fill_null(False)) if "first_time" in attendance.columns \
        else attendance.head(0)
    out = {"residents": attendance["person"].n_unique(),
           "first_timers": first["person"].n_unique(),
           "attendances": attendance.height}
    if activities is not None:
        out["activities_with_list"] = attendance["activity_id"].n_unique()
    return out


def new_residents_by_month(attendance, activities):
    """Residents seen for the first time per month, and the running total.

    A resident's first month is the month of their earliest activity.
    Returns ``month``, ``new_residents``, ``residents_so_far``.
    """
    import polars as pl

    _check(activities, {"activity_id", "date"}, "activities")
    first = (attendance.join(activities.select("activity_id", "date"), on="activity_id", how="inner")
             .group_by("person").agg(pl.col("date").min())
             .with_columns(pl.col("date").dt.truncate("1mo").alias("month")))
    return (first.group_by("month").agg(pl.len().cast(pl.Int64).alias("new_residents")).sort("month")
            .with_columns(pl.col("new_residents").cum_sum().alias("residents_so_far")))


# --- contacts ----------------------------------------------------------------

def contact_funnel(contacts, lang: str = "nl"):
    """Doorbells -> conversations -> matches: counts and the step-to-step rate.

    Returns ``step``, ``label`` (in ``lang``), ``contacts``, ``rate`` (this
    step's count divided by the previous step's; null for the first).
    """
    import polars as pl

    _check(contacts, {"kind"}, "contacts")
    counts = dict(contacts.group_by("kind").len().iter_rows())
    steps = [s for s, _ in CONTACT_STEPS]
    values = [int(counts.get(s, 0)) for s in steps]
    rates = [None] + [round(b / a, 3) if a else None for a, b in zip(values, values[1:])]
    return pl.DataFrame({"step": steps, "label": [t(lang) for _, t in CONTACT_STEPS],
                         "contacts": values, "rate": rates},
                        schema={"step": pl.Utf8, "label": pl.Utf8, "contacts": pl.Int64, "rate": pl.Float64})


def referrals(contacts):
    """Referrals to formal organisations: ``to_organisation``, ``referrals``, ``residents`` (unique)."""
    import polars as pl

    _check(contacts, {"kind", "to_organisation", "from_person"}, "contacts")
    ref = contacts.filter(pl.col("kind") == "referral").with_columns(
        pl.col("to_organisation").fill_null("?"))
    who = "to_person" if "to_person" in ref.columns else "from_person"
    return (ref.group_by("to_organisation")
            .agg(pl.len().cast(pl.Int64).alias("referrals"),
                 pl.col(who).drop_nulls().n_unique().cast(pl.Int64).alias("residents"))
            .sort(["referrals", "to_organisation"], descending=[True, False]))


def volunteers_by_month(contacts):
    """New volunteers activated per month: ``month``, ``new_volunteers``, ``volunteers_so_far``.

    A volunteer counts once, in the month they were first activated.
    """
    import polars as pl

    _check(contacts, {"kind", "date", "to_person"}, "contacts")
    first = (contacts.filter((pl.col("kind") == "volunteer_activated") & pl.col("to_person").is_not_null())
             .group_by("to_person").agg(pl.col("date").min())
             .with_columns(pl.col("date").dt.truncate("1mo").alias("month")))
    return (first.group_by("month").agg(pl.len().cast(pl.Int64).alias("new_volunteers")).sort("month")
            .with_columns(pl.col("new_volunteers").cum_sum().alias("volunteers_so_far")))


# --- the ripple (activation) network ----------------------------------------

def ripple_graph(contacts):
    """Directed graph: an edge ``a -> b`` when ``a`` activated ``b`` as a volunteer."""
    import networkx as nx
    import polars as pl

    _check(contacts, {"kind", "from_person", "to_person"}, "contacts")
    g = nx.DiGraph()
    act = contacts.filter((pl.col("kind") == "volunteer_activated") & pl.col("to_person").is_not_null())
    for a, b in act.select("from_person", "to_person").unique().iter_rows():
        if a != b:
            g.add_edge(a, b)
    return g


def _roots(g, roots) -> list:
    if roots is None:
        return sorted(n for n in g.nodes if g.in_degree(n) == 0)
    return sorted(n for n in roots if n in g)


def ripple_generations(contacts, roots=None):
    """Who is in which generation of the ripple: 0 = the starter, 1 = activated by them, ...

    ``roots``: the starters (for example the key persons); default: everyone
    who activated someone and was not activated themselves. A person reached
    along several paths gets the shortest. People not reachable from a root
    (inside a loop with no starter) are left out.

    Returns ``person``, ``generation``, ``root`` (the starter of the shortest
    path; the first in sort order on a tie).
    """
    import networkx as nx
    import polars as pl

    g = ripple_graph(contacts)
    best: dict[str, tuple[int, str]] = {}
    for r in _roots(g, roots):
        for node, depth in nx.single_source_shortest_path_length(g, r).items():
            if node not in best or depth < best[node][0]:
                best[node] = (depth, r)
    rows = sorted(((n, d, r) for n, (d, r) in best.items()), key=lambda x: (x[1], x[0]))
    return pl.DataFrame(rows, schema={"person": pl.Utf8, "generation": pl.Int64, "root": pl.Utf8},
                        orient="row")


def generation_counts(contacts, roots=None):
    """Persons per generation of the ripple: ``generation``, ``persons``."""
    import polars as pl

    gens = ripple_generations(contacts, roots)
    return gens.group_by("generation").agg(pl.len().cast(pl.Int64).alias("persons")).sort("generation")


def ripple_sizes(contacts, roots=None):
    """Each starter's ripple (person-level; for analysis, not for publishing).

    ``direct``: people they activated themselves; ``ripple``: everyone
    downstream of them (all generations); ``depth``: the deepest generation.
    """
    import networkx as nx
    import polars as pl

    g = ripple_graph(contacts)
    rows = []
    for r in _roots(g, roots):
        depths = nx.single_source_shortest_path_length(g, r)
        rows.append((r, g.out_degree(r), len(depths) - 1, max(depths.values())))
    return pl.DataFrame(rows, schema={"person": pl.Utf8, "direct": pl.Int64, "ripple": pl.Int64,
                                      "depth": pl.Int64}, orient="row")


def ripple_size_distribution(contacts, roots=None):
    """How many starters have a ripple of each size band: ``size``, ``starters``.

    Bands 1, 2-3, 4-6, 7-10, 11+ keep single large ripples from standing out.
    """
    import polars as pl

    sizes = ripple_sizes(contacts, roots)
    bands = [(1, 1, "1"), (2, 3, "2-3"), (4, 6, "4-6"), (7, 10, "7-10"), (11, 10**9, "11+")]
    counts = [(label, int(sizes.filter(pl.col("ripple").is_between(lo, hi)).height)) for lo, hi, label in bands]
    return pl.DataFrame(counts, schema={"size": pl.Utf8, "starters": pl.Int64}, orient="row")


def contact_network(contacts, people=None):
    """Undirected network of who is in touch with whom, organisations included.

    Edges come from every contact with a ``to_person`` (conversation, match,
    volunteer) or a ``to_organisation`` (referral); an organisation becomes a
    node ``org:<name>`` with actor type formal. Node attributes ``actor_type``
    and ``role`` come from ``people`` (``unknown`` when not there).
    """
    import networkx as nx

    _check(contacts, {"from_person", "to_person", "to_organisation"}, "contacts")
    g = nx.Graph()
    for a, b, org in contacts.select("from_person", "to_person", "to_organisation").iter_rows():
        if a is None:
            continue
        if b is not None and b != a:
            g.add_edge(a, b)
        if org:
            g.add_edge(a, _ORG + org)
    info = {}
    if people is not None:
        _check(people, {"person", "role", "actor_type"}, "people")
        info = {p: (r, t) for p, r, t in people.select("person", "role", "actor_type").iter_rows()}
    for n in g.nodes:
        if str(n).startswith(_ORG):
            g.nodes[n].update(role="organisation", actor_type="formal")
        else:
            role, kind = info.get(n, ("unknown", "unknown"))
            g.nodes[n].update(role=role or "unknown", actor_type=kind or "unknown")
    return g


def bridging(contacts, people=None):
    """Betweenness and informal-formal brokerage per node (person-level; not for publishing).

    ``betweenness``: normalised betweenness centrality (networkx).
    ``brokerage``: pairs of neighbours, one informal and one formal, that are
    not in touch with each other, so the node is the bridge between them
    (an undirected reading of Gould & Fernandez's liaison/representative
    brokerage between two groups).
    """
    import networkx as nx
    import polars as pl

    g = contact_network(contacts, people)
    between = nx.betweenness_centrality(g, normalized=True) if g.number_of_nodes() > 2 else {}
    rows = []
    for n in sorted(g.nodes):
        nbrs = list(g.neighbors(n))
        inf = [u for u in nbrs if g.nodes[u]["actor_type"] == "informal"]
        frm = [w for w in nbrs if g.nodes[w]["actor_type"] == "formal"]
        pairs = sum(1 for u in inf for w in frm if not g.has_edge(u, w))
        rows.append((n, g.nodes[n]["role"], g.nodes[n]["actor_type"], float(between.get(n, 0.0)), pairs))
    return pl.DataFrame(rows, schema={"node": pl.Utf8, "role": pl.Utf8, "actor_type": pl.Utf8,
                                      "betweenness": pl.Float64, "brokerage": pl.Int64}, orient="row")


def bridging_by_role(contacts, people=None, lang: str = "nl"):
    """Bridging between informal and formal actors, summed per role (publishable).

    Returns ``role``, ``role_label``, ``nodes``, ``brokers`` (nodes with
    brokerage > 0), ``brokerage`` (pairs bridged), ``brokerage_share`` (of
    all pairs bridged; ``brokerage_percent`` the same in whole percent),
    ``mean_betweenness``.
    """
    import polars as pl

    b = bridging(contacts, people)
    total = int(b["brokerage"].sum()) if b.height else 0
    names = {k: v(lang) for k, v in ROLE_LABELS.items()}
    return (b.group_by("role")
            .agg(pl.len().cast(pl.Int64).alias("nodes"),
                 (pl.col("brokerage") > 0).sum().cast(pl.Int64).alias("brokers"),
                 pl.col("brokerage").sum().cast(pl.Int64).alias("brokerage"),
                 pl.col("betweenness").mean().round(3).alias("mean_betweenness"))
            .with_columns((pl.col("brokerage") / total if total else pl.lit(None, pl.Float64))
                          .round(3).alias("brokerage_share"),
                          pl.col("role").replace_strict(names, default=pl.col("role")).alias("role_label"))
            .with_columns((pl.col("brokerage_share") * 100).round(0).cast(pl.Int64).alias("brokerage_percent"))
            .select("role", "role_label", "nodes", "brokers", "brokerage", "brokerage_share", "brokerage_percent",
                    "mean_betweenness")
            .sort(["brokerage", "role"], descending=[True, False]))


# --- charts ---------------------------------------------------------------

def _w(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def activities_chart(activities, lang: str = "nl"):
    """Activities per month, coloured by kind (stacked bars)."""
    import altair as alt

    data = activities_by(activities, ("month", "kind"), lang).to_pandas()
    kinds = [v(lang) for v in ACTIVITY_LABELS.values()]
    extra = sorted(set(data["kind_label"]) - set(kinds))
    domain = kinds + extra
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("yearmonth(month):T", title=_w(lang, "Maand", "Month")),
        y=alt.Y("activities:Q", title=_w(lang, "Aantal activiteiten", "Number of activities")),
        color=alt.Color("kind_label:N", title=_w(lang, "Soort", "Kind"), sort=domain,
                        scale=alt.Scale(domain=domain, range=(PALETTE * 2)[:len(domain)])),
    ).properties(width=480, height=240)


def activities_district_chart(activities, lang: str = "nl"):
    """Attendees per district and kind of activity (grouped horizontal bars)."""
    import altair as alt

    data = activities_by(activities, ("district", "kind"), lang).to_pandas()
    domain = list(dict.fromkeys([v(lang) for v in ACTIVITY_LABELS.values()] + sorted(set(data["kind_label"]))))
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("district:N", title=_w(lang, "Stadsdeel", "District")),
        x=alt.X("attendees:Q", title=_w(lang, "Aantal bezoekers", "Number of attendees")),
        color=alt.Color("kind_label:N", title=_w(lang, "Soort", "Kind"), sort=domain,
                        scale=alt.Scale(domain=domain, range=(PALETTE * 2)[:len(domain)])),
    ).properties(width=420, height=220)


def residents_chart(attendance, activities, lang: str = "nl", k: int = 5):
    """Running total of unique residents reached (line) and new residents per month (bars)."""
    import altair as alt

    data = suppress(new_residents_by_month(attendance, activities), ["new_residents"], k).to_pandas()
    base = alt.Chart(data).encode(x=alt.X("yearmonth(month):T", title=_w(lang, "Maand", "Month")))
    bars = base.mark_bar(color=PALETTE[4]).encode(
        y=alt.Y("new_residents:Q", title=_w(lang, "Bewoners (nieuw en totaal)", "Residents (new and total)")))
    line = base.mark_line(color=PALETTE[0], point=True).encode(y="residents_so_far:Q")
    return (bars + line).properties(width=480, height=240)


def contact_funnel_chart(funnel, lang: str = "nl"):
    """Bars for doorbells, conversations and matches."""
    import altair as alt

    data = funnel.to_pandas()
    return alt.Chart(data).mark_bar(color=PALETTE[2]).encode(
        y=alt.Y("label:N", sort=list(data["label"]), title=_w(lang, "Stap", "Step")),
        x=alt.X("contacts:Q", title=_w(lang, "Aantal contacten", "Number of contacts")),
    ).properties(width=420, height=140)


def referrals_chart(contacts, lang: str = "nl", k: int = 5):
    """Referrals per organisation (counts of residents below k hidden)."""
    import altair as alt

    data = suppress(referrals(contacts), ["residents"], k).to_pandas()
    return alt.Chart(data).mark_bar(color=PALETTE[1]).encode(
        y=alt.Y("to_organisation:N", sort="-x", title=_w(lang, "Organisatie", "Organisation")),
        x=alt.X("referrals:Q", title=_w(lang, "Doorverwijzingen", "Referrals")),
    ).properties(width=420, height=200)


def volunteers_chart(contacts, lang: str = "nl"):
    """Running total of new volunteers over time."""
    import altair as alt

    data = volunteers_by_month(contacts).to_pandas()
    return alt.Chart(data).mark_line(point=True, color=PALETTE[3], interpolate="step-after").encode(
        x=alt.X("yearmonth(month):T", title=_w(lang, "Maand", "Month")),
        y=alt.Y("volunteers_so_far:Q", title=_w(lang, "Nieuwe vrijwilligers (totaal)", "New volunteers (total)")),
    ).properties(width=480, height=220)


def generations_chart(contacts, roots=None, lang: str = "nl", k: int = 5):
    """Persons per generation of the ripple (aggregate only)."""
    import altair as alt
    import polars as pl

    data = suppress(generation_counts(contacts, roots), ["persons"], k).with_columns(
        pl.col("generation").cast(pl.Utf8)).to_pandas()
    return alt.Chart(data).mark_bar(color=PALETTE[0]).encode(
        x=alt.X("generation:O", title=_w(lang, "Generatie (0 = starter)", "Generation (0 = starter)")),
        y=alt.Y("persons:Q", title=_w(lang, "Aantal personen", "Number of people")),
    ).properties(width=320, height=220)


def ripple_sizes_chart(contacts, roots=None, lang: str = "nl", k: int = 5):
    """How many starters have a ripple of each size band (aggregate only)."""
    import altair as alt

    data = suppress(ripple_size_distribution(contacts, roots), ["starters"], k).to_pandas()
    return alt.Chart(data).mark_bar(color=PALETTE[2]).encode(
        x=alt.X("size:N", sort=list(data["size"]),
                title=_w(lang, "Grootte van de rimpeling (personen)", "Size of the ripple (people)")),
        y=alt.Y("starters:Q", title=_w(lang, "Aantal starters", "Number of starters")),
    ).properties(width=320, height=220)


def bridging_chart(contacts, people=None, lang: str = "nl"):
    """Share of informal-formal bridges made by each role (aggregate only)."""
    import altair as alt

    data = bridging_by_role(contacts, people, lang).to_pandas()
    return alt.Chart(data).mark_bar(color=PALETTE[5]).encode(
        y=alt.Y("role_label:N", sort="-x", title=_w(lang, "Rol", "Role")),
        x=alt.X("brokerage_share:Q", axis=alt.Axis(format="%"),
                title=_w(lang, "Deel van de bruggen tussen informeel en formeel",
                         "Share of bridges between informal and formal")),
    ).properties(width=420, height=180)


# --- words for the notebook ---------------------------------------------------

def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def activities_text(activities, lang: str = "nl") -> dict[str, str]:
    by = activities_by(activities, ("kind",), lang).sort("activities", descending=True)
    n = activities.height
    top = by["kind_label"][0].lower() if by.height else "-"
    return {
        "title": _t(lang, "Activiteiten per maand", "Activities per month"),
        "takeaway": _t(lang, f"Er waren {n} activiteiten; de {top} kwam het vaakst voor.",
                       f"There were {n} activities; the {top} was the most common kind."),
        "description": _t(lang, "Gestapelde staven met het aantal activiteiten per maand, per soort een kleur.",
                          "Stacked bars with the number of activities per month, one colour per kind."),
    }


def residents_text(attendance, activities, lang: str = "nl") -> dict[str, str]:
    r = residents_reached(attendance)
    return {
        "title": _t(lang, "Bewoners bereikt", "Residents reached"),
        "takeaway": _t(lang, f"{r['residents']} verschillende bewoners kwamen naar een activiteit; "
                             f"{r['first_timers']} kwamen voor het eerst.",
                       f"{r['residents']} different residents came to an activity; "
                       f"{r['first_timers']} came for the first time."),
        "description": _t(lang, "Staven: nieuwe bewoners per maand. Lijn: het totaal aantal verschillende bewoners tot dan.",
                          "Bars: new residents per month. Line: the total of different residents so far."),
    }


def contact_text(funnel, lang: str = "nl") -> dict[str, str]:
    c = dict(zip(funnel["step"], funnel["contacts"]))
    return {
        "title": _t(lang, "Van aanbellen tot match", "From doorbell to match"),
        "takeaway": _t(lang, f"Op {c['doorbell']} keer aanbellen volgden {c['conversation']} gesprekken en {c['match']} matches.",
                       f"{c['doorbell']} doorbells led to {c['conversation']} conversations and {c['match']} matches."),
        "description": _t(lang, f"Drie staven: aangebeld {c['doorbell']}, gesprekken {c['conversation']}, matches {c['match']}.",
                          f"Three bars: doorbells {c['doorbell']}, conversations {c['conversation']}, matches {c['match']}."),
    }


def referrals_text(contacts, lang: str = "nl") -> dict[str, str]:
    r = referrals(contacts)
    n, orgs = int(r["referrals"].sum()) if r.height else 0, r.height
    return {
        "title": _t(lang, "Doorverwijzingen naar organisaties", "Referrals to organisations"),
        "takeaway": _t(lang, f"Bewoners werden {n} keer doorverwezen, naar {orgs} verschillende organisaties.",
                       f"Residents were referred {n} times, to {orgs} different organisations."),
        "description": _t(lang, "Liggende staven met het aantal doorverwijzingen per organisatie.",
                          "Horizontal bars with the number of referrals per organisation."),
    }


def volunteers_text(contacts, lang: str = "nl") -> dict[str, str]:
    v = volunteers_by_month(contacts)
    n = int(v["volunteers_so_far"][-1]) if v.height else 0
    return {
        "title": _t(lang, "Nieuwe vrijwilligers", "New volunteers"),
        "takeaway": _t(lang, f"Er kwamen {n} nieuwe vrijwilligers bij.", f"{n} new volunteers stood up."),
        "description": _t(lang, "Lijn met het totaal aantal nieuwe vrijwilligers per maand.",
                          "Line with the running total of new volunteers per month."),
    }


def ripple_text(contacts, roots=None, lang: str = "nl") -> dict[str, str]:
    gens = generation_counts(contacts, roots)
    deepest = int(gens["generation"].max()) if gens.height else 0
    starters = int(gens.filter(gens["generation"] == 0)["persons"].sum()) if gens.height else 0
    others = int(gens["persons"].sum()) - starters if gens.height else 0
    return {
        "title": _t(lang, "De rimpeling: wie bracht wie in beweging?", "The ripple: who activated whom?"),
        "takeaway": _t(lang, f"{starters} starters brachten samen {others} mensen in beweging, tot {deepest} generaties ver.",
                       f"{starters} starters together activated {others} people, up to {deepest} generations deep."),
        "description": _t(lang, "Staven met het aantal personen per generatie: 0 zijn de starters, 1 de mensen die zij "
                                "actief maakten, 2 de mensen die die weer actief maakten, enzovoort.",
                          "Bars with the number of people per generation: 0 are the starters, 1 the people they "
                          "activated, 2 the people those activated, and so on."),
    }


def bridging_text(contacts, people=None, lang: str = "nl") -> dict[str, str]:
    b = bridging_by_role(contacts, people, lang)
    top = b["role_label"][0] if b.height else "-"
    share = b["brokerage_share"][0] if b.height and b["brokerage_share"][0] is not None else 0.0
    return {
        "title": _t(lang, "Bruggen tussen bewoners en organisaties", "Bridges between residents and organisations"),
        "takeaway": _t(lang, f"De rol '{top}' maakt {round(100 * share)}% van de bruggen tussen informele en formele actoren.",
                       f"The role '{top}' makes {round(100 * share)}% of the bridges between informal and formal actors."),
        "description": _t(lang, "Liggende staven: per rol het deel van alle bruggen. Een brug is een persoon die een "
                                "informele en een formele actor kent die elkaar zelf niet kennen.",
                          "Horizontal bars: each role's share of all bridges. A bridge is a person who knows an "
                          "informal and a formal actor who do not know each other."),
    }
