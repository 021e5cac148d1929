"""Wave numbers and the other whole numbers an answer file holds (a repeat row's number).

A wave is a whole number from 0 to 127 (it is stored as Int8); people type
``2``, ``2.0`` or ``2,0``.

Example:
    >>> parse_wave("2,0"), parse_wave("128"), whole_number("3", 1)
    (2, None, 3)
"""

from __future__ import annotations

MAX_WAVE = 127  # waves are stored as Int8


def whole_number(text: str, low: int, high: int | None = None) -> int | None:
    """``text`` as a whole number from ``low`` to ``high`` (a decimal comma allowed), else ``None``.

    Example:
        >>> whole_number("2,0", 1), whole_number("0", 1), whole_number("1.5", 0)
        (2, None, None)
    """
    try:
        number = float(str(text).strip().replace(",", "."))
    except ValueError:
        return None
    if not number.is_integer() or number < low or (high is not None and number > high):
        return None
    return int(number)


def parse_wave(text: str) -> int | None:
    """``text`` as a wave number (0 to 127), else ``None``."""
    return whole_number(text, 0, MAX_WAVE)
