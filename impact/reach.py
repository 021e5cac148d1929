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

from impact.errors import require_columns
from impact.vocabulary import ACTIVITY_KINDS, CONTACT_KINDS, PALETTE, ROLES, labels
from impact.text import Text

# doorbell -> conversation -> match: the steps of making contact
CONTACT_STEPS = ("doorbell", "conversation", "match")
# contacts that name the resident they reached (a doorbell without a name reaches nobody we can count)
REACHING_KINDS = ("doorbell", "conversation", "match", "referral")
# roles that are not "residents": the people doing the work, and organisations
NOT_RESIDENTS = ("buurtbaner", "key_person", "formal_actor")

_ORG = "org:"  # node prefix for organisations (they are not persons)


def _check(frame, columns: set[str], table: str) -> None:
    require_columns(frame, columns, table)


def suppress(frame, count_columns: list[str], k: int = 5):
    """Hide person counts from 1 to k-1 (set to null) before they go into a chart: the one rule of
    ``impact.privacy.suppress_small_cells``, so charts and tables follow it alike."""
    from impact.privacy import suppress_small_cells

    return suppress_small_cells(frame, list(count_columns), k=k)


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
        names = labels(ACTIVITY_KINDS, lang)
        out = out.with_columns(pl.col("kind").replace_strict(names, default=pl.col("kind")).alias("kind_label"))
    return out


def reach_events(attendance, activities=None, contacts=None, people=None):
    """Every time a resident was reached: at an activity, or by name in a contact.

    One row per attendance (``how`` = ``activity``, with the activity's
    date and district) and per contact of a kind in ``REACHING_KINDS`` that
    names a person (``how`` = the contact's kind). With ``people``, persons
    whose role is buurtbaner, key person or formal actor are left out: they
    do the reaching, or are organisations. Returns ``person``, ``date``,
    ``district``, ``how``.
    """
    import polars as pl

    _check(attendance, {"activity_id", "person"}, "attendance")
    schema = {"person": pl.Utf8, "date": pl.Date, "district": pl.Utf8, "how": pl.Utf8}
    att = attendance.select("activity_id", "person")
    if activities is not None:
        _check(activities, {"activity_id", "date", "district"}, "activities")
        att = att.join(activities.select("activity_id", "date", "district"), on="activity_id", how="left")
    else:
        att = att.with_columns(pl.lit(None, pl.Date).alias("date"), pl.lit(None, pl.Utf8).alias("district"))
    parts = [att.select(pl.col("person").cast(pl.Utf8), pl.col("date").cast(pl.Date),
                        pl.col("district").cast(pl.Utf8), pl.lit("activity").alias("how"))]
    if contacts is not None:
        _check(contacts, {"kind", "to_person", "date", "district"}, "contacts")
        named = contacts.filter(pl.col("kind").is_in(REACHING_KINDS) & pl.col("to_person").is_not_null())
        parts.append(named.select(pl.col("to_person").cast(pl.Utf8).alias("person"), pl.col("date").cast(pl.Date),
                                  pl.col("district").cast(pl.Utf8), pl.col("kind").cast(pl.Utf8).alias("how")))
    events = pl.concat(parts).filter(pl.col("person").is_not_null())
    if people is not None:
        _check(people, {"person", "role"}, "people")
        others = people.filter(pl.col("role").is_in(NOT_RESIDENTS))["person"].implode()
        events = events.filter(~pl.col("person").is_in(others))
    return events.select(list(schema)).cast(schema)


def residents_reached(attendance, activities=None, contacts=None, people=None) -> dict[str, int]:
    """Different residents reached (see ``reach_events``), those who took part, and first-timers.

    ``residents``: different persons reached at an activity or by name;
    ``taking_part``: different persons on an attendance list;
    ``first_timers``: people marked ``first_time`` at least once;
    ``attendances``: rows of ``attendance``. If ``activities`` is given,
    ``activities_with_list`` counts the activities that have an attendance
    list (the rest only have a head count).
    """
    import polars as pl

    events = reach_events(attendance, activities, contacts, people)
    at = events.filter(pl.col("how") == "activity")
    first = attendance.filter(pl.col("first_time").fill_null(False)) if "first_time" in attendance.columns \
        else attendance.head(0)
    out = {"residents": events["person"].n_unique(),
           "taking_part": at["person"].n_unique(),
           "first_timers": first.filter(pl.col("person").is_in(at["person"].implode()))["person"].n_unique(),
           "attendances": attendance.height}
    if activities is not None:
        out["activities_with_list"] = attendance["activity_id"].n_unique()
    return out


def residents_by_district(attendance, activities, contacts=None, people=None):
    """Different residents reached per district: ``district``, ``residents``.

    A resident reached in two districts counts in both (each district's
    report counts them), so the rows may add up to more than the total.
    """
    import polars as pl

    events = reach_events(attendance, activities, contacts, people).filter(pl.col("district").is_not_null())
    return (events.group_by("district").agg(pl.col("person").n_unique().cast(pl.Int64).alias("residents"))
            .sort("district"))


def new_residents_by_month(attendance, activities, contacts=None, people=None):
    """Residents reached for the first time per month, and the running total.

    A resident's first month is the month they were first reached (see
    ``reach_events``). Returns ``month``, ``new_residents``,
    ``residents_so_far``.
    """
    import polars as pl

    first = (reach_events(attendance, activities, contacts, people).filter(pl.col("date").is_not_null())
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
    steps = list(CONTACT_STEPS)
    values = [int(counts.get(s, 0)) for s in steps]
    rates = [None] + [round(b / a, 3) if a else None for a, b in zip(values, values[1:])]
    return pl.DataFrame({"step": steps, "label": [CONTACT_KINDS[s](lang) for s in steps],
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


RIPPLE_BANDS = [(1, 1), (2, 3), (4, 6), (7, 10), (11, 10**9)]


def ripple_size_distribution(contacts, roots=None, k: int | None = None):
    """How many starters have a ripple of each size band: ``size``, ``starters``, ``smallest``.

    Bands 1, 2-3, 4-6, 7-10, 11+ keep single large ripples from standing
    out. With ``k``, the largest bands are taken together ("4+") until the
    top band holds no count from 1 to k-1, so a chart shows every band
    instead of hiding small ones.
    """
    import polars as pl

    sizes = ripple_sizes(contacts, roots)
    bands = [[lo, hi, int(sizes.filter(pl.col("ripple").is_between(lo, hi)).height)] for lo, hi in RIPPLE_BANDS]
    if k is not None:
        while len(bands) > 1 and bands[-1][2] < k:  # empty or small: join the band below
            lo, hi, n = bands.pop()
            bands[-1] = [bands[-1][0], hi, bands[-1][2] + n]
    rows = [(f"{lo}" if lo == hi else f"{lo}+" if hi >= 10**9 else f"{lo}-{hi}", n, lo) for lo, hi, n in bands]
    return pl.DataFrame(rows, schema={"size": pl.Utf8, "starters": pl.Int64, "smallest": pl.Int64}, orient="row")


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


# Exact betweenness costs O(nodes x edges): seconds for a few thousand people, hours for a city's
# contact network. Above this many nodes it is estimated from a fixed sample of source nodes.
BETWEENNESS_EXACT_NODES = 1_000
BETWEENNESS_PIVOTS = 500
BETWEENNESS_SEED = 2023


def betweenness(g) -> dict:
    """Normalised betweenness centrality of every node of ``g`` (networkx).

    Exact up to ``BETWEENNESS_EXACT_NODES`` nodes. A larger network gets
    networkx's estimate from ``BETWEENNESS_PIVOTS`` source nodes drawn with
    the fixed seed ``BETWEENNESS_SEED`` (Brandes & Pich 2007): the same
    network always gives the same values, within a few percent of the exact
    ones for well-connected nodes, and small values are less precise.

    Example:
        >>> import networkx as nx
        >>> betweenness(nx.path_graph(3))[1]
        1.0
    """
    import networkx as nx

    if g.number_of_nodes() <= 2:
        return {}
    if g.number_of_nodes() <= BETWEENNESS_EXACT_NODES:
        return nx.betweenness_centrality(g, normalized=True)
    return nx.betweenness_centrality(g, k=BETWEENNESS_PIVOTS, normalized=True, seed=BETWEENNESS_SEED)


def brokerage(g, node) -> int:
    """Pairs of ``node``'s neighbours, one informal and one formal, not in touch with each other.

    All informal x formal pairs, less those that are linked: counted from
    whichever side is smaller, so a hub with thousands of neighbours costs
    its edges, not the square of its neighbours.

    Example:
        >>> import networkx as nx
        >>> g = nx.Graph([("k", "r"), ("k", "f"), ("k", "o"), ("r", "o")])
        >>> nx.set_node_attributes(g, {"k": "informal", "r": "informal", "f": "formal", "o": "formal"},
        ...                        "actor_type")
        >>> brokerage(g, "k")  # (r, f) is bridged; r and o know each other
        1
    """
    types = g.nodes
    informal, formal = set(), []
    for u in g.adj[node]:
        kind = types[u]["actor_type"]
        if kind == "informal":
            informal.add(u)
        elif kind == "formal":
            formal.append(u)
    linked = 0
    for w in formal:
        around = g.adj[w]
        if len(around) < len(informal):
            linked += sum(1 for u in around if u in informal)
        else:
            linked += sum(1 for u in informal if u in around)
    return len(informal) * len(formal) - linked


def bridging(contacts, people=None, *, with_betweenness: bool = True):
    """Betweenness and informal-formal brokerage per node (person-level; not for publishing).

    ``betweenness``: normalised betweenness centrality (``betweenness``:
    exact for a network up to ``BETWEENNESS_EXACT_NODES`` nodes, estimated
    with a fixed seed above that; null with ``with_betweenness=False``).
    ``brokerage``: pairs of neighbours, one informal and one formal, that are
    not in touch with each other, so the node is the bridge between them
    (an undirected reading of Gould & Fernandez's liaison/representative
    brokerage between two groups).
    """
    import polars as pl

    g = contact_network(contacts, people)
    between = betweenness(g) if with_betweenness else None
    rows = []
    for n in sorted(g.nodes):
        value = None if between is None else float(between.get(n, 0.0))
        rows.append((n, g.nodes[n]["role"], g.nodes[n]["actor_type"], value, brokerage(g, n)))
    return pl.DataFrame(rows, schema={"node": pl.Utf8, "role": pl.Utf8, "actor_type": pl.Utf8,
                                      "betweenness": pl.Float64, "brokerage": pl.Int64}, orient="row")


def bridging_by_role(contacts, people=None, lang: str = "nl", *, with_betweenness: bool = True):
    """Bridging between informal and formal actors, summed per role (publishable).

    Returns ``role``, ``role_label``, ``nodes`` (people of that role in the
    network), ``brokers`` (nodes with brokerage > 0), ``broker_share``
    (brokers / nodes: groups of different size compared as shares),
    ``broker_percent`` (the same in whole percent), ``brokerage`` (pairs
    bridged), ``brokerage_share`` (of all pairs
    bridged; ``brokerage_percent`` the same in whole percent),
    ``mean_betweenness`` (see ``bridging``; null with
    ``with_betweenness=False``: the reports show brokerage only, and skip
    the network's most expensive measure). Sorted by ``broker_share``,
    largest first.
    """
    import polars as pl

    b = bridging(contacts, people, with_betweenness=with_betweenness)
    total = int(b["brokerage"].sum()) if b.height else 0
    names = labels(ROLES, lang)
    return (b.group_by("role")
            .agg(pl.len().cast(pl.Int64).alias("nodes"),
                 (pl.col("brokerage") > 0).sum().cast(pl.Int64).alias("brokers"),
                 pl.col("brokerage").sum().cast(pl.Int64).alias("brokerage"),
                 pl.col("betweenness").mean().round(3).alias("mean_betweenness"))
            .with_columns((pl.col("brokerage") / total if total else pl.lit(None, pl.Float64))
                          .round(3).alias("brokerage_share"),
                          (pl.col("brokers") / pl.col("nodes")).round(3).alias("broker_share"),
                          pl.col("role").replace_strict(names, default=pl.col("role")).alias("role_label"))
            .with_columns((pl.col("brokerage_share") * 100).round(0).cast(pl.Int64).alias("brokerage_percent"),
                          (pl.col("broker_share") * 100).round(0).cast(pl.Int64).alias("broker_percent"))
            .select("role", "role_label", "nodes", "brokers", "broker_share", "broker_percent", "brokerage",
                    "brokerage_share", "brokerage_percent", "mean_betweenness")
            .sort(["broker_share", "role"], descending=[True, False]))


def new_volunteers(contacts) -> list[str]:
    """Everyone who was activated as a volunteer (each once, sorted)."""
    import polars as pl

    _check(contacts, {"kind", "to_person"}, "contacts")
    act = contacts.filter(pl.col("kind") == "volunteer_activated")
    return sorted(set(act["to_person"].drop_nulls().to_list()))


def active_workers(people, activities, contacts) -> list[str]:
    """Buurtbaners and key persons who organised an activity or made a contact (each once, sorted)."""
    import polars as pl

    _check(people, {"person", "role"}, "people")
    workers = set(people.filter(pl.col("role").is_in(["buurtbaner", "key_person"]))["person"].to_list())
    busy = set(activities["organiser"].drop_nulls().to_list()) if "organiser" in activities.columns else set()
    busy |= set(contacts["from_person"].drop_nulls().to_list())
    return sorted(workers & busy)


def volunteers_who_activate(contacts) -> list[str]:
    """New volunteers who in turn got someone else going: the upward circle closing (sorted)."""
    import polars as pl

    _check(contacts, {"kind", "from_person", "to_person"}, "contacts")
    act = contacts.filter((pl.col("kind") == "volunteer_activated") & pl.col("to_person").is_not_null())
    return sorted(set(act["to_person"].to_list()) & set(act["from_person"].drop_nulls().to_list()))


# --- charts ---------------------------------------------------------------


def _kind_domain(data, lang: str) -> list[str]:
    """Activity kinds in the vocabulary's order, then any other kind."""
    kinds = [v(lang) for v in ACTIVITY_KINDS.values()]
    return list(dict.fromkeys(kinds + sorted(set(data["kind_label"]))))


def activities_chart(activities, lang: str = "nl"):
    """Activities per month, coloured by kind (stacked bars)."""
    import altair as alt

    data = activities_by(activities, ("month", "kind"), lang).to_pandas()
    domain = _kind_domain(data, lang)
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("yearmonth(month):T", title=Text("Maand")(lang)),
        y=alt.Y("activities:Q", title=Text("Aantal activiteiten")(lang)),
        color=alt.Color("kind_label:N", title=Text("Soort")(lang), sort=domain,
                        scale=alt.Scale(domain=domain, range=(PALETTE * 2)[:len(domain)])),
    ).properties(width=480, height=240)


def activities_district_chart(activities, lang: str = "nl"):
    """Attendees per district and kind of activity (stacked horizontal bars, largest district on top)."""
    import altair as alt

    data = activities_by(activities, ("district", "kind"), lang).to_pandas()
    domain = _kind_domain(data, lang)
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("district:N", sort="-x", title=Text("Stadsdeel")(lang)),
        x=alt.X("attendees:Q", title=Text("Aantal bezoeken")(lang)),
        color=alt.Color("kind_label:N", title=Text("Soort")(lang), sort=domain,
                        scale=alt.Scale(domain=domain, range=(PALETTE * 2)[:len(domain)])),
    ).properties(width=420, height=220)


def safe_running_total(frame, new: str, total: str, k: int = 5):
    """The points of a running total that a chart may show: each one at least ``k`` more than the
    point before (or the same), so the step between two points never gives away a small count.

    A month with fewer than ``k`` new persons is joined to the next; the last month always stays
    (its total is the figure the page shows), and when the step up to it is small, the point before
    it goes instead.

    Example:
        >>> import polars as pl
        >>> f = pl.DataFrame({"month": [1, 2, 3, 4, 5], "n": [6, 2, 3, 7, 1]}).with_columns(
        ...     pl.col("n").cum_sum().alias("so_far"))
        >>> safe_running_total(f, "n", "so_far", k=5)["so_far"].to_list()
        [6, 11, 19]
    """
    rows = frame.to_dicts()
    kept, since = [], 0
    for i, row in enumerate(rows):
        since += row[new] or 0
        last = i == len(rows) - 1
        if since >= k or (last and since == 0):
            kept.append(i)
            since = 0
        elif last and since:
            if kept:
                kept.pop()  # the step up to the end would be small: the point before it goes
            kept.append(i)
    import polars as pl

    return frame.with_row_index("_i").filter(pl.col("_i").is_in(kept)).drop("_i")


def residents_chart(attendance, activities, contacts=None, people=None, lang: str = "nl", k: int = 5):
    """Running total of the different residents reached, by month (a step line; no step of fewer
    than ``k`` persons: ``safe_running_total``)."""
    import altair as alt

    by_month = new_residents_by_month(attendance, activities, contacts, people)
    data = safe_running_total(by_month, "new_residents", "residents_so_far", k).to_pandas()
    return alt.Chart(data).mark_line(color=PALETTE[0], interpolate="step-after", point=True).encode(
        x=alt.X("yearmonth(month):T", title=Text("Maand")(lang)),
        y=alt.Y("residents_so_far:Q", title=Text("Bewoners bereikt (opgeteld)")(lang)),
    ).properties(width=480, height=240)


def contact_funnel_chart(funnel, lang: str = "nl"):
    """Bars for doorbells, conversations and matches."""
    import altair as alt

    data = funnel.to_pandas()
    return alt.Chart(data).mark_bar(color=PALETTE[2]).encode(
        y=alt.Y("label:N", sort=list(data["label"]), title=None),
        x=alt.X("contacts:Q", title=Text("Aantal contacten")(lang)),
    ).properties(width=420, height=140)


def referrals_chart(contacts, lang: str = "nl", k: int = 5):
    """Referrals per organisation (counts of residents below k hidden)."""
    import altair as alt

    data = suppress(referrals(contacts), ["residents"], k).to_pandas()
    return alt.Chart(data).mark_bar(color=PALETTE[1]).encode(
        y=alt.Y("to_organisation:N", sort="-x", title=None),
        x=alt.X("referrals:Q", title=Text("Aantal doorverwijzingen")(lang)),
    ).properties(width=420, height=200)


def volunteers_chart(contacts, lang: str = "nl", k: int = 5):
    """Running total of new volunteers over time (no step of fewer than ``k``: ``safe_running_total``)."""
    import altair as alt

    data = safe_running_total(volunteers_by_month(contacts), "new_volunteers", "volunteers_so_far", k).to_pandas()
    return alt.Chart(data).mark_line(point=True, color=PALETTE[3], interpolate="step-after").encode(
        x=alt.X("yearmonth(month):T", title=Text("Maand")(lang)),
        y=alt.Y("volunteers_so_far:Q", title=Text("Nieuwe vrijwilligers (opgeteld)")(lang)),
    ).properties(width=480, height=220)


def generations_chart(counts, lang: str = "nl", k: int = 5):
    """Persons per generation of the ripple (aggregate only), each bar with its number; a hidden count
    reads ``< k`` or ``x`` (``impact.charts.count_bars``).

    ``counts``: ``category`` (the generation, 0 = the starters), ``count``, ``label``, ``small``: the
    figures as the page shows them (``impact.figures.words.generation_counts``), or
    ``impact.charts.count_labels`` of ``generation_counts`` renamed so.
    """
    from impact.charts import count_bars

    return count_bars(counts, "category", "count", k=k, horizontal=False, color=PALETTE[0], width=320,
                      height=220, category_title=Text("Generatie (0 = starter)")(lang),
                      value_title=Text("Aantal personen")(lang))


def ripple_sizes_chart(contacts, roots=None, lang: str = "nl", k: int = 5):
    """How many starters have a ripple of each size band (aggregate only), each bar with its number."""
    from impact.charts import count_bars, count_labels

    data = count_labels(ripple_size_distribution(contacts, roots, k=k), "starters", k, lang)
    return count_bars(data, "size", "starters", k=k, horizontal=False, color=PALETTE[2], width=320, height=220,
                      category_title=Text("Grootte van de rimpeling (personen)")(lang),
                      value_title=Text("Aantal starters")(lang))


def bridging_published(roles, k: int = 5, lang: str = "nl"):
    """``bridging_by_role`` as a report shows it: the roles that can be a bridge, with their counts
    protected together (``impact.privacy.smallcells.table_labels``: people per role = bridges + the
    others, so neither part may be small, nor worked out from the other).

    Returns ``role``, ``role_label``, ``nodes`` and ``brokers`` (null when hidden), ``broker_share``
    (null when either count is hidden) and the texts a table shows: ``nodes_label``, ``brokers_label``
    (``< k`` or ``x`` when hidden), ``percent_label``.
    """
    import polars as pl

    from impact.privacy.smallcells import table_labels

    can = roles.filter(~pl.col("role").is_in(["organisation", "formal_actor"]))
    # no page shows how many bridges there are in all: the columns add up to nothing a reader knows
    out = table_labels(can, ["brokers", "nodes"], k, part_of={"brokers": "nodes"}, column_totals=False, lang=lang)
    hidden = pl.col("brokers").is_null() | pl.col("nodes").is_null()
    return out.with_columns(
        pl.when(hidden).then(None).otherwise(pl.col("broker_share")).alias("broker_share"),
        pl.when(hidden).then(pl.lit("x")).otherwise(pl.format("{}%", pl.col("broker_percent"))).alias("percent_label"),
    ).select("role", "role_label", "nodes", "brokers", "broker_share", "nodes_label", "brokers_label",
             "percent_label")


def bridging_chart(roles, lang: str = "nl", k: int = 5):
    """Per role: the share of its people who are a bridge between informal and formal (with n).

    ``roles``: the table of ``bridging_by_role``, shown as ``bridging_published`` does (the same
    numbers as the table next to it).

    Roles differ a lot in size, so the chart compares shares, and each
    label says how many people the share is of. Organisations and their
    staff are left out: they are the formal side a bridge leads to. A role
    whose share would give away a small count shows ``< k`` or ``x``
    instead of a bar.
    """
    import altair as alt
    import polars as pl

    from impact.charts import COUNT_MARK

    data = (bridging_published(roles, k, lang)
            .with_columns(pl.format("{}|n = {}", "role_label", "nodes_label").alias("who"),
                          pl.col("broker_share").fill_null(0.0).alias("length"),
                          pl.when(pl.col("broker_share").is_null()).then(pl.col("brokers_label"))
                          .otherwise(pl.col("percent_label")).alias("label"),
                          pl.when(pl.col("broker_share").is_null())
                          .then(pl.lit(f"{COUNT_MARK}-hidden-{int(k)}")).otherwise(pl.lit("percent")).alias("_mark"))
            .sort("length", descending=True).to_pandas())
    # the role on one line, how many people it has on the next: short enough for a phone
    y = alt.Y("who:N", sort=list(data["who"]), title=None, axis=alt.Axis(labelExpr="split(datum.label, '|')"))
    x = alt.X("length:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]),
              title=Text("Deel dat een brug is")(lang))
    bars = alt.Chart(data).mark_bar(color=PALETTE[5]).encode(y=y, x=x)
    text = alt.Chart(data).mark_text(align="left", dx=4, aria=True).encode(
        y=y, x=x, text="label:N", description="_mark:N")
    return (bars + text).properties(width=360, height=180)
