"""Research question 2 (impact.reach), checked against hand-computed values."""

import datetime as dt

import polars as pl
import pytest

from impact import reach
from impact.errors import InputError

d = dt.date
CONTACT_SCHEMA = {"date": pl.Date, "from_person": pl.Utf8, "to_person": pl.Utf8,
                  "to_organisation": pl.Utf8, "kind": pl.Utf8, "district": pl.Utf8}


def contacts(rows):
    """rows: (date, from_person, to_person, to_organisation, kind)."""
    return pl.DataFrame([r + ("West",) for r in rows], schema=CONTACT_SCHEMA, orient="row")


@pytest.fixture
def activities():
    return pl.DataFrame({
        "activity_id": ["A1", "A2", "A3"], "kind": ["maaltijd", "maaltijd", "taalles"],
        "district": ["West", "Oost", "West"], "date": [d(2022, 1, 5), d(2022, 1, 20), d(2022, 2, 1)],
        "organiser": ["p_k", "p_k", "p_j"], "attendees": [10, 8, 5], "first_time_attendees": [3, 2, None]},
        schema_overrides={"attendees": pl.Int32, "first_time_attendees": pl.Int32})


@pytest.fixture
def attendance():
    return pl.DataFrame({"activity_id": ["A1", "A1", "A2", "A3", "A3"],
                         "person": ["p_r1", "p_r2", "p_r1", "p_r3", "p_r2"],
                         "first_time": [True, False, False, True, False]})


def test_activities_by_kind_and_month(activities):
    by_kind = reach.activities_by(activities, ("kind",), "en")
    assert by_kind.select("kind", "activities", "attendees", "first_time_attendees").rows() == [
        ("maaltijd", 2, 18, 5), ("taalles", 1, 5, 0)]
    assert by_kind["kind_label"].to_list() == ["Meal", "Language class"]
    by_month = reach.activities_by(activities, ("month", "district"))
    assert by_month.select("month", "district", "activities").rows() == [
        (d(2022, 1, 1), "Oost", 1), (d(2022, 1, 1), "West", 1), (d(2022, 2, 1), "West", 1)]


def test_residents_reached_and_new_per_month(attendance, activities):
    assert reach.residents_reached(attendance, activities) == {
        "residents": 3, "taking_part": 3, "first_timers": 2, "attendances": 5, "activities_with_list": 3}
    new = reach.new_residents_by_month(attendance, activities)
    # r1 and r2 first seen in January (A1), r3 in February (A3)
    assert new.rows() == [(d(2022, 1, 1), 2, 2), (d(2022, 2, 1), 1, 3)]


def test_residents_reached_counts_named_contacts_once_and_never_workers_or_doorbells(attendance, activities):
    """Attendees r1, r2, r3 (3); contacts name r1 again (counted once), r4 by a match and r5 by a
    referral (2 more), the key person k and formal actor f (workers and staff: not residents), and two
    doorbells without a name (nobody we can count): 5 residents reached, 3 of them took part."""
    c = pl.DataFrame([(d(2022, 3, 1), "p_k", "p_r1", None, "conversation", "Oost"),
                      (d(2022, 3, 2), "p_k", "p_r4", None, "match", "Oost"),
                      (d(2022, 1, 9), "p_k", "p_r5", "Buurtteam", "referral", "West"),
                      (d(2022, 3, 3), "p_r1", "p_k", None, "conversation", "Oost"),
                      (d(2022, 3, 4), "p_k", "p_f", None, "conversation", "Oost"),
                      (d(2022, 3, 5), "p_k", None, None, "doorbell", "Oost"),
                      (d(2022, 3, 5), "p_k", None, None, "doorbell", "Oost"),
                      (d(2022, 3, 6), "p_k", "p_v", None, "volunteer_activated", "Oost")],
                     schema=CONTACT_SCHEMA, orient="row")
    people = pl.DataFrame({"person": ["p_k", "p_f", "p_r1", "p_r4", "p_r5"],
                           "role": ["key_person", "formal_actor", "resident", "resident", "resident"]})
    got = reach.residents_reached(attendance, activities, c, people)
    assert (got["residents"], got["taking_part"]) == (5, 3)
    # West: r1, r2 at A1, r3 and r2 at A3, r5 referred in West = 4; Oost: r1 at A2, r1 and r4 by contact = 2
    assert reach.residents_by_district(attendance, activities, c, people).rows() == [("Oost", 2), ("West", 4)]
    # first reached: r1, r2 and r5 in January, r3 in February, r4 in March
    assert reach.new_residents_by_month(attendance, activities, c, people).rows() == [
        (d(2022, 1, 1), 3, 3), (d(2022, 2, 1), 1, 4), (d(2022, 3, 1), 1, 5)]


def test_contact_funnel_rates():
    rows = [(d(2022, 1, 1), "p_k", None, None, "doorbell")] * 10
    rows += [(d(2022, 1, 1), "p_k", "p_r", None, "conversation")] * 4
    rows += [(d(2022, 1, 2), "p_k", "p_r", None, "match")]
    f = reach.contact_funnel(contacts(rows), "nl")
    assert f.select("step", "contacts", "rate").rows() == [
        ("doorbell", 10, None), ("conversation", 4, 0.4), ("match", 1, 0.25)]
    assert f["label"][0] == "Aangebeld"


def test_referrals_and_volunteers_count_people_once():
    c = contacts([
        (d(2022, 1, 3), "p_k", "p_r1", "Buurtteam", "referral"),
        (d(2022, 1, 9), "p_k", "p_r1", "Buurtteam", "referral"),
        (d(2022, 2, 1), "p_k", "p_r2", "Schuldhulp", "referral"),
        (d(2022, 1, 5), "p_k", "p_v1", None, "volunteer_activated"),
        (d(2022, 3, 5), "p_j", "p_v1", None, "volunteer_activated"),
        (d(2022, 3, 7), "p_j", "p_v2", None, "volunteer_activated"),
    ])
    assert reach.referrals(c).rows() == [("Buurtteam", 2, 1), ("Schuldhulp", 1, 1)]
    assert reach.volunteers_by_month(c).rows() == [(d(2022, 1, 1), 1, 1), (d(2022, 3, 1), 1, 2)]


@pytest.fixture
def ripple():
    """Starter K: K -> A, K -> B, A -> C, C -> D (three generations below K). Starter S: S -> E."""
    pairs = [("p_k", "p_a"), ("p_k", "p_b"), ("p_a", "p_c"), ("p_c", "p_d"), ("p_s", "p_e")]
    return contacts([(d(2022, 1, 1), a, b, None, "volunteer_activated") for a, b in pairs]
                    + [(d(2022, 1, 1), "p_d", "p_k", None, "conversation")])


def test_ripple_of_three_generations(ripple):
    gens = reach.ripple_generations(ripple)
    assert gens.rows() == [("p_k", 0, "p_k"), ("p_s", 0, "p_s"), ("p_a", 1, "p_k"), ("p_b", 1, "p_k"),
                           ("p_e", 1, "p_s"), ("p_c", 2, "p_k"), ("p_d", 3, "p_k")]
    assert reach.generation_counts(ripple).rows() == [(0, 2), (1, 3), (2, 1), (3, 1)]
    assert reach.ripple_sizes(ripple).rows() == [("p_k", 2, 4, 3), ("p_s", 1, 1, 1)]
    dist = dict(reach.ripple_size_distribution(ripple).select("size", "starters").iter_rows())
    assert dist == {"1": 1, "2-3": 0, "4-6": 1, "7-10": 0, "11+": 0}
    # with k = 2 the small top bands join the ones below until no band is small: all in one, "1+";
    # with k = 1 only the empty top bands join: "4+"
    assert reach.ripple_size_distribution(ripple, k=2).rows() == [("1+", 2, 1)]
    assert reach.ripple_size_distribution(ripple, k=1).select("size", "starters").rows() == [
        ("1", 1), ("2-3", 0), ("4+", 1)]


def test_ripple_takes_the_shortest_path_and_given_roots(ripple):
    extra = pl.concat([ripple, contacts([(d(2022, 2, 1), "p_k", "p_d", None, "volunteer_activated")])])
    gens = dict(reach.ripple_generations(extra).select("person", "generation").iter_rows())
    assert gens["p_d"] == 1
    only_a = reach.ripple_generations(ripple, roots=["p_a"])
    assert only_a.select("person", "generation").rows() == [("p_a", 0), ("p_c", 1), ("p_d", 2)]


@pytest.fixture
def network():
    """K (key person) knows residents R and R2 and formal actor F; R2 was referred to the Buurtteam.

    Edges: K-R, K-R2, K-F, R2-org. Five nodes, (5-1)(5-2)/2 = 6 pairs to normalise by.
    K lies on R-R2, R-F, R-org, R2-F, F-org: betweenness 5/6. R2 lies on R-org, K-org,
    F-org: 3/6. K bridges (R, F) and (R2, F): brokerage 2; R2 bridges (K, org): 1.
    """
    c = contacts([(d(2022, 1, 1), "p_k", "p_r", None, "conversation"),
                  (d(2022, 1, 2), "p_k", "p_r2", None, "match"),
                  (d(2022, 1, 3), "p_k", "p_f", None, "conversation"),
                  (d(2022, 1, 4), "p_r2", None, "Buurtteam", "referral")])
    people = pl.DataFrame({"person": ["p_k", "p_r", "p_r2", "p_f"],
                           "role": ["key_person", "resident", "resident", "formal_actor"],
                           "actor_type": ["informal", "informal", "informal", "formal"]})
    return c, people


def test_bridging_by_hand(network):
    c, people = network
    b = {row[0]: row[1:] for row in reach.bridging(c, people).rows()}
    assert b["p_k"] == ("key_person", "informal", pytest.approx(5 / 6), 2)
    assert b["p_r2"] == ("resident", "informal", pytest.approx(0.5), 1)
    assert b["org:Buurtteam"] == ("organisation", "formal", 0.0, 0)
    assert b["p_r"][3] == 0 and b["p_f"][3] == 0


def test_bridging_by_role_is_aggregate(network):
    c, people = network
    by_role = reach.bridging_by_role(c, people, "en")
    assert "node" not in by_role.columns
    rows = {r["role"]: r for r in by_role.iter_rows(named=True)}
    assert (rows["key_person"]["brokerage"], rows["key_person"]["brokerage_share"]) == (2, 0.667)
    assert (rows["resident"]["nodes"], rows["resident"]["brokers"], rows["resident"]["brokerage"]) == (2, 1, 1)
    assert rows["resident"]["mean_betweenness"] == 0.25
    assert rows["key_person"]["role_label"] == "Key persons"
    # compared as shares of each role: 1 of 1 key person and 1 of 2 residents bridge
    assert (rows["key_person"]["broker_share"], rows["resident"]["broker_share"]) == (1.0, 0.5)
    assert by_role["role"][0] == "key_person"


def _hub_network(seed: int = 7):
    """A key person who knows everyone (a hub), residents who partly know each other, organisations."""
    import random

    rng = random.Random(seed)
    residents = [f"p_r{i}" for i in range(40)]
    rows = [(d(2022, 1, 1), "p_k", r, None, "conversation") for r in residents]
    rows += [(d(2022, 1, 2), "p_k", None, org, "referral") for org in ("Buurtteam", "Gemeente", "Welzijn")]
    rows += [(d(2022, 1, 3), rng.choice(residents), None, rng.choice(["Buurtteam", "Gemeente"]), "referral")
             for _ in range(25)]
    rows += [(d(2022, 1, 4), rng.choice(residents), rng.choice(residents), None, "conversation") for _ in range(30)]
    people = pl.DataFrame({"person": ["p_k", *residents], "role": ["key_person"] + ["resident"] * 40,
                           "actor_type": ["informal"] * 41})
    return contacts(rows), people


def test_brokerage_counts_unlinked_pairs_as_the_definition_says():
    c, people = _hub_network()
    g = reach.contact_network(c, people)
    for n in g.nodes:  # every informal x formal pair of neighbours that is not an edge, one by one
        nbrs = list(g.neighbors(n))
        inf = [u for u in nbrs if g.nodes[u]["actor_type"] == "informal"]
        frm = [w for w in nbrs if g.nodes[w]["actor_type"] == "formal"]
        assert reach.brokerage(g, n) == sum(1 for u in inf for w in frm if not g.has_edge(u, w)), n
    # the hub knows 40 residents and 3 organisations: 120 pairs, less the referrals between them
    linked = {(r, o) for _, r, _, o, kind, _ in c.rows() if kind == "referral" and r != "p_k"}
    assert reach.brokerage(g, "p_k") == 40 * 3 - len(linked)


def test_large_networks_get_a_seeded_betweenness_estimate(monkeypatch):
    import networkx as nx

    c, people = _hub_network()
    g = reach.contact_network(c, people)
    exact = nx.betweenness_centrality(g, normalized=True)
    assert reach.betweenness(g) == exact  # small: exact
    monkeypatch.setattr(reach, "BETWEENNESS_EXACT_NODES", 10)
    monkeypatch.setattr(reach, "BETWEENNESS_PIVOTS", g.number_of_nodes())
    assert reach.betweenness(g) == pytest.approx(exact)  # every node a pivot: the exact values
    monkeypatch.setattr(reach, "BETWEENNESS_PIVOTS", 12)
    first = reach.betweenness(g)
    assert first == reach.betweenness(g)  # a fixed seed: the same estimate every time
    assert first["p_k"] == pytest.approx(exact["p_k"], rel=0.25)  # the hub stays the hub
    assert max(first, key=first.get) == "p_k"


def test_bridging_without_betweenness_keeps_brokerage(network):
    c, people = network
    full = reach.bridging_by_role(c, people, "en")
    quick = reach.bridging_by_role(c, people, "en", with_betweenness=False)
    assert quick.drop("mean_betweenness").equals(full.drop("mean_betweenness"))
    assert quick["mean_betweenness"].null_count() == quick.height


def test_volunteers_who_activate_close_the_upward_circle(ripple):
    # K -> A, K -> B, A -> C, C -> D, S -> E: A and C were activated and activated someone themselves
    assert reach.new_volunteers(ripple) == ["p_a", "p_b", "p_c", "p_d", "p_e"]
    assert reach.volunteers_who_activate(ripple) == ["p_a", "p_c"]


def test_active_workers_are_buurtbaners_and_key_persons_who_did_something(activities, network):
    c, people = network
    people = pl.concat([people, pl.DataFrame({"person": ["p_j", "p_idle"], "role": ["buurtbaner", "key_person"],
                                              "actor_type": ["informal", "informal"]})])
    # p_k made contacts and organised A1, A2; p_j organised A3; p_idle did nothing; p_r2 is a resident
    assert reach.active_workers(people, activities, c) == ["p_j", "p_k"]


def test_suppress_hides_small_person_counts():
    out = reach.suppress(pl.DataFrame({"g": ["a", "b", "c"], "persons": [3, 12, 20]}), ["persons"], k=5)
    assert out["persons"][0] is None and out["persons"][2] == 20


def test_missing_column_is_a_user_error():
    with pytest.raises(InputError) as err:
        reach.ripple_graph(pl.DataFrame({"kind": ["match"], "from_person": ["p_a"]}))
    assert "to_person" in err.value.render("en")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_charts_and_texts(activities, attendance, ripple, network, lang):
    c, people = network
    charts = [reach.activities_chart(activities, lang), reach.activities_district_chart(activities, lang),
              reach.residents_chart(attendance, activities, lang=lang),
              reach.contact_funnel_chart(reach.contact_funnel(c, lang), lang),
              reach.referrals_chart(c, lang), reach.volunteers_chart(ripple, lang),
              reach.generations_chart(generation_rows(ripple, lang), lang), reach.ripple_sizes_chart(ripple, lang=lang),
              reach.bridging_chart(reach.bridging_by_role(c, people, lang), lang)]
    for chart in charts:
        spec = chart.to_dict()
        assert "p_" not in str(spec.get("datasets", "")), "no pseudonyms in chart data"
    spec = reach.bridging_chart(reach.bridging_by_role(c, people, lang), lang, k=1).to_dict()
    shown = {row["who"] for row in next(iter(spec["datasets"].values()))} - {"<no data>"}
    # shares per role with n; organisations and their staff are the formal side, never shown as bridges
    assert shown == {f"{'Key persons' if lang == 'en' else 'Sleutelpersonen'}|n = 1",
                     f"{'Residents' if lang == 'en' else 'Bewoners'}|n = 2"}


def generation_rows(contacts, lang):
    """Persons per generation as a chart takes them (here protected on their own)."""
    import polars as pl

    from impact.charts import count_labels

    counts = reach.generation_counts(contacts).select(pl.col("generation").cast(pl.Utf8).alias("category"),
                                                      pl.col("persons").alias("count"))
    return count_labels(counts, "count", 5, lang)


def test_a_running_total_steps_up_by_at_least_k():
    """New persons per month 6, 2, 3, 7, 1 (k = 5): 6; then 2 + 3 = 5; then 7; the last month's 1 is
    too small a step, so the point before it goes and the end (19) comes 8 after 11."""
    f = pl.DataFrame({"month": [1, 2, 3, 4, 5], "n": [6, 2, 3, 7, 1]}).with_columns(
        pl.col("n").cum_sum().alias("so_far"))
    kept = reach.safe_running_total(f, "n", "so_far", k=5)
    assert kept["so_far"].to_list() == [6, 11, 19]
    steps = [b - a for a, b in zip([0, *kept["so_far"].to_list()], kept["so_far"].to_list())]
    assert min(steps) >= 5
    # nothing new in the last months: the line ends flat, no step of 0 < n < k
    f = pl.DataFrame({"month": [1, 2, 3], "n": [9, 0, 0]}).with_columns(pl.col("n").cum_sum().alias("so_far"))
    assert reach.safe_running_total(f, "n", "so_far", k=5)["so_far"].to_list() == [9, 9]


def test_bridges_per_role_as_a_report_shows_them():
    """k = 5. Buurtbaners: 7 people, all 7 a bridge (0 others: fine). Volunteers: 10 and 6 (4 others:
    small, so the 6 is hidden). Residents: 78 and 3 (3 small). Key persons: 2 people (small)."""
    roles = pl.DataFrame({"role": ["buurtbaner", "volunteer", "resident", "key_person", "organisation"],
                          "role_label": ["Buurtbaners", "Vrijwilligers", "Bewoners", "Sleutelpersonen", "Org"],
                          "nodes": [7, 10, 78, 2, 30], "brokers": [7, 6, 3, 0, 0],
                          "broker_share": [1.0, 0.6, 0.038, 0.0, 0.0], "broker_percent": [100, 60, 4, 0, 0]})
    shown = reach.bridging_published(roles, 5, "nl")
    assert shown.select("role", "nodes_label", "brokers_label", "percent_label").rows() == [
        ("buurtbaner", "7", "7", "100%"), ("volunteer", "10", "x", "x"), ("resident", "78", "< 5", "x"),
        ("key_person", "< 5", "0", "x")]
