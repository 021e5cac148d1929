"""The demo study's fixed figures, how much it generates, and its random streams and calendar.

The figures follow the Amsterdam scheme 2021-2023 (see the package docstring);
``Sizes`` says how many people, activities, answers and interviews to make;
``random_stream`` gives every part of the demo its own stream, so changing one
part leaves the others' bytes alone.

Example:
    >>> add_months(PERIOD_START, 24)
    datetime.date(2023, 9, 1)
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

PERIOD_START = dt.date(2021, 9, 1)
PERIOD_END = dt.date(2023, 12, 31)
HOURS_PER_WEEK = 32
SUPPORT_HOURS_PER_WEEK = 8      # of the 32: training and coaching
TRAINING_HOURS_PER_WEEK = 5     # of the 8

CORESEARCHERS = ("BB03", "BB07", "BB11", "BB15", "BB22")
CODERS = ("BB03", "BB07")
N_FIRST_ROUND = 30       # placed in autumn 2021
N_NEW_APPLICATION = 3    # placed later, after a new application
N_FOLLOW_ON = 5
N_PROMISE = 10
N_DROP_OUT = 7


@dataclass(frozen=True)
class Sizes:
    """How much to generate. The demo uses the defaults; ``scale`` multiplies the volume tables."""

    key_persons: int = 12
    residents: int = 420
    formal_actors: int = 16
    volunteers_gen1: int = 44
    volunteers_gen2: int = 22
    volunteers_gen3: int = 8
    activities_per_month: float = 1.0       # per active buurtbaner
    doorbells_per_month: tuple = (3, 9)
    conversations_per_month: tuple = (2, 6)
    bewoners_wave1: int = 160
    transcripts: int = 24
    contacts_factor: int = 1                # contacts per buurtbaner month are multiplied by this
    attendance: int | None = None           # rows wanted; set: activities/attendance made with numpy
    long_interviews: bool = False           # long transcripts, codings as tables (benchmarks)

    @classmethod
    def for_scale(cls, scale: float) -> "Sizes":
        """Sizes for benchmarks: at ``scale=1`` about 1,000 transcripts (10 million characters),
        500,000 codings, 100,000 answers and 1,000,000 attendance rows."""
        def at_least(base: int, big: float) -> int:
            return max(base, round(big * scale))

        return cls(key_persons=at_least(12, 60), residents=at_least(420, 20_000), formal_actors=at_least(16, 200),
                   volunteers_gen1=at_least(44, 600), volunteers_gen2=at_least(22, 300),
                   volunteers_gen3=at_least(8, 100), bewoners_wave1=at_least(160, 11_000),
                   transcripts=at_least(24, 1_000), contacts_factor=at_least(1, 40),
                   attendance=at_least(5_000, 1_000_000), long_interviews=True)


def random_stream(seed: int, part: str) -> random.Random:
    """An independent stream per part, so changing one part leaves the others' bytes alone."""
    return random.Random(f"impact-demo:{seed}:{part}")


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(d.day, last))


def month_ends(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """(first day, last day) of each month part between ``start`` and ``end`` (inclusive)."""
    out, cur = [], start
    while cur <= end:
        nxt = add_months(dt.date(cur.year, cur.month, 1), 1)
        out.append((cur, min(nxt - dt.timedelta(days=1), end)))
        cur = nxt
    return out


def nl_date(d: dt.date) -> str:
    return d.strftime("%d-%m-%Y")
