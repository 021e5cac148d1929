"""Consent (``consent.csv``): what each person agreed to, with a few refusals and one withdrawal.

Everyone agrees to the questionnaire; those interviewed (and every
buurtbaner) to the interview; two interviewees refuse quotes; one
co-researcher does not want to be named; one resident withdraws.
"""

from __future__ import annotations

from impact.demo.basics import CORESEARCHERS, random_stream
from impact.demo.interviews import Interview
from impact.demo.people import World


def consent_rows(world: World, seed: int, interviews: list[Interview], bew_waves) -> list[list]:
    rng = random_stream(seed, "consent")
    interviewed = {iv.interviewee.person_id for iv in interviews}
    no_quotes = set(rng.sample(sorted(interviewed), 2))
    answered = sorted({r[0] for w in bew_waves.values() for r in w[1:]} - interviewed)
    withdrawn = {answered[len(answered) // 3]: "2023-06-12"} if answered else {}
    rows = []
    for p in sorted(world.people, key=lambda p: p.person_id):
        pid = p.person_id
        rows.append([pid, "ja", "ja" if pid in interviewed or p.role == "buurtbaner" else "nee",
                     "nee" if pid in no_quotes else "ja",
                     ("ja" if pid != CORESEARCHERS[-1] else "nee") if p.coresearcher else "nee",
                     withdrawn.get(pid, "")])
    return rows
