"""Most Significant Change stories (``msc_stories.csv``): who told which story, and the panel's choices.

One resident names the buurtbaner who helped them, so redaction has a name
to catch.
"""

from __future__ import annotations

from impact import demo_text as tx
from impact.demo.basics import random_stream
from impact.demo.people import World


def msc_rows(world: World, seed: int) -> list[list]:
    rng = random_stream(seed, "msc")
    bbs = [p for p in world.role("buurtbaner") if world.trajectories[p.person_id]["outcome"] != "drop_out"]
    stories = list(range(len(tx.MSC_STORIES)))
    rng.shuffle(stories)
    pools = {"buurtbaner": bbs, "bewoner": world.role("bewoner"), "vrijwilliger": world.role("vrijwilliger")}
    tellers = []
    for s in stories:
        pool = [p for p in pools[tx.MSC_TELLER[tx.MSC_STORIES[s][0]]] if p not in tellers]
        tellers.append(rng.choice(pool))
    chosen = {}
    for reason, domain in enumerate(("werk", "meedoen", "gezondheid")):
        for k, s in enumerate(stories):
            if tx.MSC_STORIES[s][0] == domain and k not in chosen:
                chosen[k] = tx.PANEL_REASONS[reason]
                break
    rows, named = [], False
    for k, (teller, s) in enumerate(zip(tellers, stories)):
        domain, story = tx.MSC_STORIES[s]
        if not named and teller.role == "bewoner" and "De buurtbaner" in story:
            # storytellers name the people who helped them; redaction must catch it
            local = [p for p in bbs if p.district == teller.district] or bbs
            name = world.plant("name", local[0].first)
            story = story.replace("De buurtbaner", f"De buurtbaner, {name},", 1)
            named = True
        rows.append([f"MSC{k + 1:02d}", teller.person_id, domain, story,
                     "ja" if k in chosen else "nee", chosen.get(k, "")])
    return rows
