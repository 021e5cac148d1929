"""Goal Attainment Scaling: a person's own goals, scored -2..+2, summed into a T-score.

Kiresuk & Sherman (1968) combine the levels x_i (-2..+2) of the goals with
weights w_i into

    T = 50 + 10 * sum(w_i * x_i) / sqrt((1 - rho) * sum(w_i^2) + rho * (sum(w_i))^2)

with rho the assumed correlation between goals (0.3 by convention). T = 50
when every goal is reached at the expected level (0); the T-score has a
standard deviation of about 10.

Example:
    >>> gas_tscore([0, 0, 0])
    50.0
    >>> round(gas_tscore([-1, 0, 1, 1]), 2)
    53.63
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from impact.errors import InputError, Text

LEVELS = (-2, -1, 0, 1, 2)


def gas_tscore(levels: Sequence[float], weights: Sequence[float] | None = None, rho: float = 0.3) -> float:
    """The Kiresuk-Sherman T-score of goal levels (-2..+2), optionally weighted.

    Raises ``InputError`` for a level outside -2..+2, a weight that is not
    positive, a different number of weights and levels, or no goals.
    """
    levels = [float(x) for x in levels]
    if not levels:
        raise InputError(Text("Geen doelen: een T-score heeft minstens één doel nodig."))
    bad = [x for x in levels if x not in LEVELS]
    if bad:
        raise InputError(Text("Doelniveau {value:g} bestaat niet: kies -2, -1, 0, 1 of 2.", value=bad[0]))
    w = [1.0] * len(levels) if weights is None else [float(x) for x in weights]
    if len(w) != len(levels):
        raise InputError(Text("{n_levels} doelen maar {n_w} gewichten: geef elk doel één gewicht.",
                              n_levels=len(levels), n_w=len(w)))
    if any(not (x > 0) for x in w):
        raise InputError(Text("Een gewicht moet groter dan 0 zijn."))
    if not 0 <= rho < 1:
        raise InputError(Text("rho moet tussen 0 en 1 liggen."))
    numerator = sum(wi * xi for wi, xi in zip(w, levels))
    denominator = math.sqrt((1 - rho) * sum(wi * wi for wi in w) + rho * sum(w) ** 2)
    return 50.0 + 10.0 * numerator / denominator


def gas_scores(goals, *, rho: float = 0.3, person: str = "person", date: str = "date",
               level: str = "level", weight: str = "weight"):
    """T-score per person and date from the ``goals`` table (one row per goal score).

    Returns person, date, n_goals, t_score. Missing weights count as 1.
    """
    import polars as pl

    df = goals.with_columns(pl.col(weight).fill_null(1.0) if weight in goals.columns else pl.lit(1.0).alias(weight))
    rows = []
    for (who, when), part in df.group_by([person, date], maintain_order=True):
        part = part.drop_nulls(level)
        if part.height == 0:
            continue
        rows.append({person: who, date: when, "n_goals": part.height,
                     "t_score": gas_tscore(part[level].to_list(), part[weight].to_list(), rho=rho)})
    schema = {person: df.schema[person], date: df.schema[date], "n_goals": pl.Int32, "t_score": pl.Float64}
    out = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    return out.sort(person, date)
