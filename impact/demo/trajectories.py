"""The buurtbaners' trajectories: start, end and outcome, the events of each month, and their goals.

``make_trajectories`` decides who drops out, who moves on to a follow-on job
and who gets a promise of a contract (the public figures);
``trajectory_rows`` is ``trajectory_events.csv`` (training and coaching
hours, certificates, ladder steps), ``goal_rows`` is ``goals.csv``.
"""

from __future__ import annotations

import datetime as dt

from impact import demo_text as tx
from impact.demo.basics import (CORESEARCHERS, HOURS_PER_WEEK, N_DROP_OUT, N_FIRST_ROUND, N_FOLLOW_ON, N_PROMISE,
                                PERIOD_END, PERIOD_START, SUPPORT_HOURS_PER_WEEK, TRAINING_HOURS_PER_WEEK,
                                add_months, month_ends, random_stream)
from impact.demo.people import Registry, World


def make_trajectories(world: World, seed: int, reg: Registry) -> None:
    rng = random_stream(seed, "trajectories")
    bbs = world.role("buurtbaner")
    first_round = [p.person_id for p in bbs[:N_FIRST_ROUND]]
    may_drop = [pid for pid in first_round if pid not in CORESEARCHERS]
    drop = sorted(rng.sample(may_drop, N_DROP_OUT))
    rest = [p.person_id for p in bbs if p.person_id not in drop]
    follow = sorted(rng.sample([r for r in rest if r in first_round], N_FOLLOW_ON))
    promise = sorted(rng.sample([r for r in rest if r not in follow], N_PROMISE))
    new_round = [p.person_id for p in bbs[N_FIRST_ROUND:]]
    drop_districts = [world.by_id[d].district for d in drop]
    for i, p in enumerate(bbs):
        pid = p.person_id
        if pid in new_round:
            # a new application filled posts left by drop-outs
            k = new_round.index(pid)
            p.district = drop_districts[k]
            p.neighbourhood = tx.NEIGHBOURHOODS[p.district][k % len(tx.NEIGHBOURHOODS[p.district])]
            p.street, p.number, p.postcode = reg.address(p.district)
            start = dt.date(2022, 3 + 3 * k, 1)
        else:
            start = PERIOD_START + dt.timedelta(days=rng.choice([0, 0, 0, 14, 30, 45, 61]))
        end = min(add_months(start, 24) - dt.timedelta(days=1), PERIOD_END)
        outcome = "end"
        left = end
        if pid in drop:
            outcome = "drop_out"
            left = start + dt.timedelta(days=rng.randint(120, 420))
        elif pid in follow:
            outcome = "follow_on_job"
            left = start + dt.timedelta(days=rng.randint(420, 650))
        elif pid in promise:
            outcome = "promise_of_contract"
        s0 = rng.choices([2, 3, 4], [3, 5, 2])[0]
        s1 = min(5, s0 + rng.choice([0, 1, 1, 2]))
        s2 = {"follow_on_job": 6, "promise_of_contract": rng.choice([5, 6]),
              "end": min(5, s1 + rng.choice([0, 0, 1])), "drop_out": max(1, s0 - rng.choice([0, 1]))}[outcome]
        world.trajectories[pid] = {"start": start, "end": end, "left": left, "outcome": outcome,
                                   "ladder": (s0, s1, s2)}


def trajectory_rows(world: World, seed: int) -> list[list]:
    rng = random_stream(seed, "events")
    rows = []
    for pid in sorted(world.trajectories):
        t = world.trajectories[pid]
        start, left, outcome = t["start"], t["left"], t["outcome"]
        s0, s1, s2 = t["ladder"]
        ev = [[start, "start", None, None,
               f"{HOURS_PER_WEEK} uur per week, waarvan {SUPPORT_HOURS_PER_WEEK} uur opleiding en coaching"],
              [start, "ladder_step", None, s0, None]]
        for first, last in month_ends(start, left):
            weeks = ((last - first).days + 1) / 7
            present = rng.choice([1.0, 1.0, 1.0, 0.9, 0.8, 0.75])  # holidays, sick days
            training = round(weeks * TRAINING_HOURS_PER_WEEK * present * 2) / 2
            coaching = round(weeks * (SUPPORT_HOURS_PER_WEEK - TRAINING_HOURS_PER_WEEK) * present * 2) / 2
            ev.append([last, "training", training, None, None])
            ev.append([last, "coaching", coaching, None, None])
        n_cert = 0 if outcome == "drop_out" else rng.choice([1, 1, 2, 2, 3])
        for c in sorted(rng.sample(range(len(tx.CERTIFICATES)), n_cert)):
            d = start + dt.timedelta(days=rng.randint(90, max(91, (left - start).days - 10)))
            ev.append([d, "certificate", None, None, f"Certificaat {tx.CERTIFICATES[c]}"])
        mid = add_months(start, 12)
        if mid < left:
            ev.append([mid, "ladder_step", None, s1, None])
        if outcome == "drop_out":
            ev.append([left, "drop_out", None, None, rng.choice(["Gestopt om gezondheidsredenen.",
                                                                 "Gestopt vanwege zorg voor familie.",
                                                                 "Paste niet bij de werkplek."])])
            ev.append([left, "ladder_step", None, s2, None])
        else:
            if outcome == "follow_on_job":
                ev.append([left, "follow_on_job", None, None, "Vervolgbaan gevonden."])
            if outcome == "promise_of_contract":
                ev.append([left - dt.timedelta(days=rng.randint(20, 150)), "promise_of_contract", None, None,
                           "Toezegging van een vast contract binnen zes maanden."])
            ev.append([left, "ladder_step", None, s2, None])
            ev.append([left, "end", None, None, None])
        order = {k: i for i, k in enumerate(["start", "ladder_step", "training", "coaching", "certificate",
                                             "promise_of_contract", "follow_on_job", "drop_out", "end"])}
        for d, kind, hours, step, note in sorted(ev, key=lambda e: (e[0], order[e[1]])):
            rows.append([pid, d.isoformat(), kind, _num(hours), step, note])
    return rows


def _num(x) -> str | None:
    if x is None:
        return None
    return str(int(x)) if float(x).is_integer() else str(x)


def goal_rows(world: World, seed: int) -> list[list]:
    rng = random_stream(seed, "goals")
    rows = []
    for pid in sorted(world.trajectories):
        t = world.trajectories[pid]
        n = rng.choices([1, 2, 3, 4, 5], [1, 3, 4, 3, 1])[0]
        texts = rng.sample(tx.GOALS, n)
        dates = [t["start"] + dt.timedelta(days=30)]
        if add_months(t["start"], 12) < t["left"]:
            dates.append(add_months(t["start"], 12))
        if t["outcome"] != "drop_out":
            dates.append(t["left"])
        gain = {"follow_on_job": 1.0, "promise_of_contract": 0.9, "end": 0.6, "drop_out": 0.2}[t["outcome"]]
        for g, text in enumerate(texts, start=1):
            weight = rng.choice([1, 1, 2, 2, 3])
            level = rng.choices([-2, -1], [1, 3])[0]
            for k, d in enumerate(dates):
                if k:
                    level += rng.choices([0, 1, 2, -1], [1 - gain * 0.6, gain, gain * 0.4, 0.15])[0]
                    level = max(-2, min(2, level))
                rows.append([pid, g, text, weight, d.isoformat(), level])
    return rows
