"""Activities, attendance and contacts: how far the buurtbaners reach into the neighbourhood.

``reach`` makes the activities (with head counts), who attended them, and
every contact: doorbells, conversations, matches, referrals to
organisations, volunteers activated in two or three generations, and the
key persons and residents who are a bridge to organisations themselves.
Large studies (benchmarks) get their activities and attendance from numpy.
"""

from __future__ import annotations

import datetime as dt
import random

from impact import demo_text as tx
from impact.demo.basics import PERIOD_END, PERIOD_START, Sizes, month_ends, random_stream
from impact.demo.people import Person, World


def _active_months(world: World):
    """(person, month first day, month last day) for every buurtbaner month, sorted."""
    for pid in sorted(world.trajectories):
        t = world.trajectories[pid]
        for first, last in month_ends(t["start"], t["left"]):
            yield world.by_id[pid], first, last


def reach(world: World, seed: int, sizes: Sizes):
    rng = random_stream(seed, "reach")
    residents_by_district: dict[str, list[Person]] = {}
    for r in world.role("bewoner"):
        residents_by_district.setdefault(r.district, []).append(r)
    # some residents come often, most now and then
    pull = {r.person_id: rng.choice([1, 1, 1, 2, 3, 6]) for r in world.role("bewoner")}
    activities, attendance = [], []
    seen: set[str] = set()
    n = 0
    small = sizes.attendance is None  # large studies get their activities from numpy below
    organisers = [(p, f, l) for p, f, l in _active_months(world)] if small else []
    for sp in world.role("sleutelpersoon") if small else []:  # key persons organise now and then too
        for f, l in month_ends(PERIOD_START, PERIOD_END):
            if rng.random() < 0.15:
                organisers.append((sp, f, l))
    organisers.sort(key=lambda x: (x[1], x[0].person_id))
    for p, first, last in organisers:
        k = sum(1 for _ in range(3) if rng.random() < sizes.activities_per_month / 3)
        for _ in range(k + (p.role == "buurtbaner" and rng.random() < 0.25)):
            n += 1
            kind = rng.choices(tx.ACTIVITY_KINDS, tx.ACTIVITY_WEIGHTS)[0]
            day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
            activities.append({"activity_id": f"A{n:05d}", "kind": kind, "district": p.district, "date": day,
                               "organiser": p.person_id})
    activities.sort(key=lambda a: (a["date"], a["activity_id"]))
    for a in activities:
        lo, hi = tx.ACTIVITY_SIZE[a["kind"]]
        size = rng.randint(lo, hi)
        if a["kind"] == "evenement":  # a head count only, no attendance list
            a["attendees"], a["first_time_attendees"] = size, rng.randint(2, size // 3)
            continue
        pool = residents_by_district.get(a["district"], [])
        listed = min(len(pool), max(1, size - rng.randint(0, 3)))
        chosen: dict[str, Person] = {}
        while len(chosen) < listed:
            r = rng.choices(pool, [pull[x.person_id] for x in pool])[0]
            chosen[r.person_id] = r
        firsts = 0
        for pid in sorted(chosen):
            first_time = pid not in seen
            seen.add(pid)
            firsts += first_time
            attendance.append([a["activity_id"], pid, "ja" if first_time else "nee"])
        extra = size - listed
        a["attendees"] = size
        a["first_time_attendees"] = firsts + rng.randint(0, extra)
    if not small:
        activities, attendance = _reach_scaled(world, seed, sizes, residents_by_district)
    contacts = []
    formals = world.role("formele_actor")
    for p, first, last in _active_months(world):
        pool = residents_by_district.get(p.district, [])
        span = (last - first).days

        def day():
            return first + dt.timedelta(days=rng.randint(0, span))

        for _ in range(rng.randint(*sizes.doorbells_per_month) * sizes.contacts_factor):
            to = rng.choice(pool).person_id if rng.random() < 0.35 else None
            contacts.append([day(), p.person_id, to, None, "doorbell", p.district])
        for _ in range(rng.randint(*sizes.conversations_per_month) * sizes.contacts_factor):
            contacts.append([day(), p.person_id, rng.choice(pool).person_id, None, "conversation", p.district])
        for _ in range(sizes.contacts_factor):
            if rng.random() < 0.4:
                formal = rng.choice(formals)
                contacts.append([day(), p.person_id, formal.person_id, None, "conversation", p.district])
        for _ in range(sizes.contacts_factor):
            if rng.random() < 0.7:
                contacts.append([day(), p.person_id, rng.choice(pool).person_id, None, "match", p.district])
        for _ in range(sizes.contacts_factor):
            if rng.random() < 0.8:
                org = rng.choices(tx.REFERRAL_ORGS, tx.REFERRAL_WEIGHTS)[0]
                contacts.append([day(), p.person_id, rng.choice(pool).person_id, org, "referral", p.district])
    contacts += _ripples(world, rng, sizes)
    contacts += _bridges(world, seed, contacts, residents_by_district)
    contacts.sort(key=lambda c: (c[0], c[1], c[4], c[2] or "", c[3] or ""))
    return activities, attendance, contacts


def _reach_scaled(world: World, seed: int, sizes: Sizes, residents_by_district: dict):
    """Activities and attendance for benchmarks, vectorised: (activities frame, attendance frame)."""
    import numpy as np
    import polars as pl

    gen = np.random.default_rng(np.random.SeedSequence([seed, 20_23]))
    kinds = np.array(tx.ACTIVITY_KINDS)
    weights = np.array(tx.ACTIVITY_WEIGHTS, dtype=float) / sum(tx.ACTIVITY_WEIGHTS)
    lo = np.array([tx.ACTIVITY_SIZE[k][0] for k in tx.ACTIVITY_KINDS])
    hi = np.array([tx.ACTIVITY_SIZE[k][1] for k in tx.ACTIVITY_KINDS])
    listed_mean = float((((lo + hi) / 2 - 1.5).clip(1) * weights)[:-1].sum())  # events have no list
    n = int(sizes.attendance / listed_mean) + 1
    organisers = sorted(world.trajectories) + [p.person_id for p in world.role("sleutelpersoon")]
    org_idx = gen.integers(0, len(organisers), n)
    first_day = np.array([(world.trajectories[o]["start"] if o in world.trajectories else PERIOD_START).toordinal()
                          for o in organisers])
    last_day = np.array([(world.trajectories[o]["left"] if o in world.trajectories else PERIOD_END).toordinal()
                         for o in organisers])
    day = first_day[org_idx] + (gen.random(n) * (last_day - first_day + 1)[org_idx]).astype(np.int64)
    kind = gen.choice(len(kinds), n, p=weights)
    size = lo[kind] + (gen.random(n) * (hi - lo + 1)[kind]).astype(np.int64)
    districts = sorted(residents_by_district)
    d_of = {d: i for i, d in enumerate(districts)}
    district = np.array([d_of[world.by_id[o].district] for o in organisers])[org_idx]
    pools = [np.array([r.person_id for r in residents_by_district[d]]) for d in districts]
    pool_n = np.array([len(p) for p in pools])
    pool_off = np.concatenate([[0], np.cumsum(pool_n)[:-1]])
    pool_all = np.concatenate([gen.permutation(p) for p in pools])
    listed = np.where(kind == len(kinds) - 1, 0,
                      np.minimum(pool_n[district], np.maximum(1, size - gen.integers(0, 4, n))))
    # each activity takes a run of consecutive places in its district's shuffled pool: no one twice
    act = np.repeat(np.arange(n), listed)
    within = np.arange(listed.sum()) - np.repeat(np.cumsum(listed) - listed, listed)
    start = gen.integers(0, 1 << 30, n)
    place = pool_off[district[act]] + (start[act] + within) % pool_n[district[act]]
    order = np.lexsort((np.arange(n), day))   # activity ids follow the calendar
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    ids = np.char.add("A", np.char.zfill(np.arange(1, n + 1).astype(str), 7))
    att = pl.DataFrame({"activity_id": ids[rank[act]], "person_id": pool_all[place], "rank": rank[act]})
    att = (att.sort("person_id", "rank")
           .with_columns(pl.col("person_id").is_first_distinct().alias("first"))
           .sort("rank", "person_id"))
    firsts = np.bincount(att["rank"].to_numpy()[att["first"].to_numpy()], minlength=n)
    size_r, listed_r = size[order], listed[order]
    extra = (gen.random(n) * (size_r - listed_r + 1)).astype(np.int64)
    heads = (gen.random(n) * (size_r // 3 - 1)).astype(np.int64) + 2
    first_time_attendees = np.where(listed_r == 0, np.minimum(heads, size_r), firsts + extra)
    activities = pl.DataFrame({
        "activity_id": ids, "kind": kinds[kind[order]], "district": np.array(districts)[district[order]],
        "date": pl.Series(day[order] - dt.date(1970, 1, 1).toordinal(), dtype=pl.Int32).cast(pl.Date),
        "organiser": np.array(organisers)[org_idx[order]], "attendees": size_r,
        "first_time_attendees": first_time_attendees})
    attendance = att.select("activity_id", "person_id",
                            pl.when(pl.col("first")).then(pl.lit("ja")).otherwise(pl.lit("nee")).alias("first_time"))
    return activities, attendance


def _ripples(world: World, rng: random.Random, sizes: Sizes) -> list[list]:
    """New volunteers: activated by key persons, some of whom activate others (2-3 generations)."""
    vols = world.role("vrijwilliger")
    starters = [p for p in world.role("buurtbaner")] + world.role("sleutelpersoon")
    rows, activated = [], {}
    gen_sizes = [sizes.volunteers_gen1, sizes.volunteers_gen2, sizes.volunteers_gen3]
    i = 0
    parents: list[tuple[Person, dt.date]] = []
    for gen, count in enumerate(gen_sizes):
        source = ([(s, world.trajectories.get(s.person_id, {}).get("start", PERIOD_START)) for s in starters]
                  if gen == 0 else parents)
        new = []
        for _ in range(count):
            parent, since = rng.choice(source)
            if parent.role == "buurtbaner":
                t = world.trajectories[parent.person_id]
                lo, hi = t["start"] + dt.timedelta(days=30), t["left"]
            else:
                lo, hi = since + dt.timedelta(days=45), PERIOD_END - dt.timedelta(days=20)
            if hi <= lo:
                lo, hi = hi - dt.timedelta(days=10), hi
            d = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
            v = vols[i]
            i += 1
            v.district, v.neighbourhood = parent.district, parent.neighbourhood or rng.choice(
                tx.NEIGHBOURHOODS[parent.district])
            v.organisation = parent.organisation
            rows.append([d, parent.person_id, v.person_id, None, "volunteer_activated", parent.district])
            activated[v.person_id] = d
            new.append((v, d))
        parents = [x for x in new if x[1] < PERIOD_END - dt.timedelta(days=120)] or new
    return rows


def _bridges(world: World, seed: int, contacts: list[list], residents_by_district: dict) -> list[list]:
    """Key persons, residents and volunteers who are a bridge too: they take a neighbour to an organisation, or talk
    with someone from one themselves. Without these, only buurtbaners would link the two worlds (a
    constant of the generated data, not a finding). An own random stream: other contacts stay the same."""
    rng = random_stream(seed, "bridges")
    formals = world.role("formele_actor")
    active_from = {c[2]: c[0] for c in contacts if c[4] == "volunteer_activated"}
    rows = []
    span = (PERIOD_END - PERIOD_START).days
    chance = {"sleutelpersoon": (0.6, 0.5), "vrijwilliger": (0.3, 0.25), "bewoner": (0.05, 0.04)}
    for p in world.role("sleutelpersoon") + world.role("bewoner") + world.role("vrijwilliger"):
        volunteer = p.role == "vrijwilliger"
        if volunteer and p.person_id not in active_from:
            continue
        refer, talk = chance[p.role]
        start = active_from.get(p.person_id, PERIOD_START)
        first = (start - PERIOD_START).days + 1
        neighbours = [r for r in residents_by_district.get(p.district, []) if r.person_id != p.person_id]

        def day():
            return PERIOD_START + dt.timedelta(days=rng.randint(min(first, span), span))

        if neighbours and rng.random() < refer:
            org = rng.choices(tx.REFERRAL_ORGS, tx.REFERRAL_WEIGHTS)[0]
            rows.append([day(), p.person_id, rng.choice(neighbours).person_id, org, "referral", p.district])
        if rng.random() < talk:
            rows.append([day(), p.person_id, rng.choice(formals).person_id, None, "conversation", p.district])
    return rows
