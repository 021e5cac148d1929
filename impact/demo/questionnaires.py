"""Questionnaire answers: ``buurtbaners`` in three waves and ``bewoners`` in two.

The buurtbaners' scale items drift with each wave; residents answer about
how they were reached, the activities they went to and what changed. One
planted phone number sits in an open answer. Each wave is a list of rows,
the header first.
"""

from __future__ import annotations

import datetime as dt

from impact import demo_text as tx
from impact.demo.basics import Sizes, add_months, nl_date, random_stream
from impact.demo.people import World

SCALES = {"se": (5, ("se_4",), +0.35), "net": (4, ("net_3",), +0.3), "fin": (3, ("fin_2",), -0.3),
          "wb": (4, ("wb_2",), +0.3)}


def buurtbaner_answers(world: World, seed: int) -> dict[int, list[list]]:
    rng = random_stream(seed, "answers-bb")
    items = [f"{s}_{k}" for s, (n, _r, _d) in SCALES.items() for k in range(1, n + 1)]
    header = ["respondent", "wave", "date", "ladder", *items, "verandering", "opmerking"]
    waves: dict[int, list[list]] = {1: [header], 2: [header], 3: [header]}
    planted_phone = None
    for pid in sorted(world.trajectories):
        t = world.trajectories[pid]
        base = {s: rng.gauss(3.0 if s != "fin" else 3.4, 0.55) for s in SCALES}
        moments = [(1, t["start"] + dt.timedelta(days=14), t["ladder"][0])]
        if add_months(t["start"], 12) < t["left"]:
            moments.append((2, add_months(t["start"], 12) + dt.timedelta(days=7), t["ladder"][1]))
        if t["outcome"] != "drop_out" and rng.random() < 0.92:
            moments.append((3, t["left"] - dt.timedelta(days=10), t["ladder"][2]))
        for wave, date, step in moments:
            row = [pid, wave, nl_date(date), step]
            for s, (n, reverse, drift) in SCALES.items():
                level = base[s] + drift * (wave - 1)
                for k in range(1, n + 1):
                    v = max(1, min(5, round(level + rng.gauss(0, 0.7))))
                    row.append(6 - v if f"{s}_{k}" in reverse else v)
            change = ""
            if wave > 1 and rng.random() < 0.8:
                good = t["outcome"] != "drop_out" and rng.random() < 0.8
                change = rng.choice(tx.VERANDERING["up" if good else "flat"])
            remark = rng.choice(tx.OPMERKING) if rng.random() < 0.3 else ""
            if wave == 2 and planted_phone is None:
                planted_phone = world.plant("phone", world.by_id[pid].phone)
                remark = f"Bel me gerust als er vragen zijn: {planted_phone}."
            waves[wave].append(row + [change, remark])
    return waves


def _attended(activities, attendance) -> tuple[dict[str, set], dict[str, dt.date]]:
    """Per resident: the kinds of activity they went to, and the date they were first seen."""
    went: dict[str, set] = {}
    first_seen: dict[str, dt.date] = {}
    if isinstance(attendance, list):
        kind_of = {a["activity_id"]: a["kind"] for a in activities}
        date_of = {a["activity_id"]: a["date"] for a in activities}
        for aid, pid, _ in attendance:
            went.setdefault(pid, set()).add(kind_of[aid])
            first_seen[pid] = min(first_seen.get(pid, date_of[aid]), date_of[aid])
        return went, first_seen
    import polars as pl

    per = (attendance.join(activities.select("activity_id", "kind", "date"), on="activity_id")
           .group_by("person_id").agg(pl.col("kind").unique().sort(), pl.col("date").min()).sort("person_id"))
    for pid, kinds, first in per.iter_rows():
        went[pid], first_seen[pid] = set(kinds), first
    return went, first_seen


def bewoner_answers(world: World, seed: int, attendance, activities, contacts: list[list],
                    sizes: Sizes) -> dict[int, list[list]]:
    rng = random_stream(seed, "answers-bew")
    went, first_seen = _attended(activities, attendance)
    referred = {c[2] for c in contacts if c[4] == "referral"}
    for c in contacts:
        if c[2] and c[2].startswith("R") and c[4] in ("doorbell", "conversation"):
            first_seen.setdefault(c[2], c[0])
    reached = sorted(p for p in first_seen if first_seen[p] < dt.date(2023, 5, 1))
    chosen = sorted(rng.sample(reached, min(sizes.bewoners_wave1, len(reached))))
    header = ["respondent", "wave", "date", "contact_via", "activiteiten", "veranderd", "formele_org",
              "tevreden", "verandering_tekst"]
    waves: dict[int, list[list]] = {1: [header], 2: [header]}
    changes = ["meer_contact", "minder_eenzaam", "hulp_gevonden", "zelf_actief"]
    for pid in chosen:
        d1 = first_seen[pid] + dt.timedelta(days=rng.randint(7, 40))
        kinds = sorted(went.get(pid, ()))
        via = "activiteit" if kinds and rng.random() < 0.6 else rng.choices(
            ["aanbellen", "via_via", "buurtbaner_op_straat", "organisatie"], [4, 3, 2, 1])[0]
        sat = rng.choices([2, 3, 4, 5], [1, 3, 6, 5])[0]
        for wave, date in ((1, d1), (2, d1 + dt.timedelta(days=rng.randint(170, 200)))):
            if wave == 2 and rng.random() < 0.25:
                continue  # not reached again
            k = rng.choices([0, 1, 2], [2, 5, 3] if wave == 1 else [1, 4, 5])[0]
            changed = " ".join(sorted(rng.sample(changes, k))) if k else rng.choice(["niets", ""])
            formal = "ja" if pid in referred and rng.random() < 0.85 else rng.choice(["nee", "nee", "ja", ""])
            score = max(1, min(5, sat + rng.choice([0, 0, 0, 1, -1]))) if rng.random() < 0.93 else ""
            text = rng.choice(tx.BEWONERS_TEKST) if rng.random() < 0.45 else ""
            waves[wave].append([pid, wave, nl_date(date), via, " ".join(kinds), changed, formal, score, text])
    return waves
