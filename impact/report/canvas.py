"""A small SVG canvas that knows how wide its text is, for a page laid out by hand.

Text is set in DejaVu Sans. Widths come from the font's own advance widths
(``fontTools``), read from the copy of DejaVu Sans that matplotlib ships
(matplotlib is installed with pingouin); the same folder is given to
vl-convert when it draws PNG and PDF, so what is measured is what is drawn.
Every line of text is one ``<text>`` element, and the canvas keeps its box,
so a layout can be checked for overlap before it is written.

Example:
    >>> c = Canvas(200, 100)
    >>> lines = c.wrap("Een zin die niet op één regel past.", width=80, size=10)
    >>> len(lines) > 1 and all(c.width(line, 10) <= 80 for line in lines)
    True
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from impact.privacy.escape import escape_html

FAMILY = "DejaVu Sans"
FILES = {(False, False): "DejaVuSans.ttf", (True, False): "DejaVuSans-Bold.ttf",
         (False, True): "DejaVuSans-Oblique.ttf", (True, True): "DejaVuSans-BoldOblique.ttf"}
ASCENT, DESCENT = 0.928, 0.236  # DejaVu Sans, as a share of the font size (hhea)


def font_dir() -> Path:
    """The folder with DejaVu Sans (matplotlib's copy), found without importing matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib (with its DejaVu fonts) is needed to lay out the infographic")
    return Path(list(spec.submodule_search_locations)[0]) / "mpl-data" / "fonts" / "ttf"


@lru_cache(maxsize=None)
def _metrics(bold: bool, italic: bool) -> tuple[dict[int, int], int, int]:
    from fontTools.ttLib import TTFont

    with TTFont(font_dir() / FILES[(bold, italic)]) as font:
        cmap = font.getBestCmap()
        hmtx = font["hmtx"].metrics
        widths = {code: hmtx[name][0] for code, name in cmap.items()}
        return widths, hmtx[".notdef"][0], font["head"].unitsPerEm


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Width of ``text`` at ``size`` (in the units of the page), without kerning (a little too wide)."""
    widths, missing, em = _metrics(bold, italic)
    return sum(widths.get(ord(ch), missing) for ch in text) * size / em


@dataclass(frozen=True)
class Box:
    """A rectangle on the page: left, top, width, height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: "Box") -> bool:
        return (self.x < other.x + other.w and other.x < self.x + self.w
                and self.y < other.y + other.h and other.y < self.y + self.h)


def _attrs(attrs: dict | None) -> str:
    return "".join(f' {k}="{escape_html(v)}"' for k, v in (attrs or {}).items() if v is not None)


class Canvas:
    """SVG elements on a page of ``width`` x ``height``, with the box of every line of text."""

    def __init__(self, width: float, height: float):
        self.width_, self.height = width, height
        self.parts: list[str] = []
        self.boxes: list[tuple[Box, str]] = []
        self.defs: list[str] = []

    # measuring and wrapping
    def width(self, text: str, size: float, bold: bool = False, italic: bool = False) -> float:
        return text_width(text, size, bold, italic)

    def wrap(self, text: str, width: float, size: float, bold: bool = False, italic: bool = False) -> list[str]:
        """``text`` cut into lines at spaces, each at most ``width`` wide (a long word gets its own line)."""
        lines: list[str] = []
        for paragraph in str(text).split("\n"):
            line = ""
            for word in paragraph.split():
                trial = f"{line} {word}".strip()
                if line and self.width(trial, size, bold, italic) > width:
                    lines.append(line)
                    line = word
                else:
                    line = trial
            lines.append(line)
        return lines

    def fit(self, text: str, width: float, size: float, max_lines: int, **font) -> list[str]:
        """Wrapped lines, at most ``max_lines``: the last one ends with "…" when text is left over."""
        lines = self.wrap(text, width, size, **font)
        if len(lines) <= max_lines:
            return lines
        kept = lines[:max_lines]
        last = kept[-1]
        while last and self.width(last + " …", size, **font) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        kept[-1] = last + " …"
        return kept

    # drawing
    def raw(self, svg: str) -> None:
        self.parts.append(svg)

    def rect(self, x, y, w, h, fill, rx: float = 0, **attrs) -> None:
        self.parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{rx}" '
                          f'fill="{fill}"{_attrs(attrs)}/>')

    def path(self, d: str, **attrs) -> None:
        self.parts.append(f'<path d="{d}"{_attrs(attrs)}/>')

    def text(self, x: float, y: float, text: str, size: float, *, fill: str = "#1a1a1a", bold: bool = False,
             italic: bool = False, anchor: str = "start", attrs: dict | None = None, title: str | None = None,
             link: str | None = None) -> Box:
        """One line of text with its baseline at ``y``; returns (and keeps) its box."""
        w = self.width(text, size, bold, italic)
        left = x - (w if anchor == "end" else w / 2 if anchor == "middle" else 0)
        box = Box(left, y - ASCENT * size, w, (ASCENT + DESCENT) * size)
        style = (' font-weight="bold"' if bold else "") + (' font-style="italic"' if italic else "")
        inner = (f"<title>{escape_html(title)}</title>" if title else "") + escape_html(text)
        element = (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" text-anchor="{anchor}"'
                   f'{style}{_attrs(attrs)}>{inner}</text>')
        if link:
            element = f'<a href="{escape_html(link)}">{element}</a>'
        self.parts.append(element)
        self.boxes.append((box, text))
        return box

    def lines(self, x: float, y: float, lines: list[str], size: float, leading: float, **kw) -> float:
        """Several lines, the first baseline at ``y``; returns the y below the last line."""
        for i, line in enumerate(lines):
            self.text(x, y + i * leading, line, size, **kw)
        return y + (len(lines) - 1) * leading + DESCENT * size

    def overlaps(self) -> list[tuple[str, str]]:
        """Pairs of text lines whose boxes overlap (should be none)."""
        found = []
        for i, (a, ta) in enumerate(self.boxes):
            for b, tb in self.boxes[i + 1:]:
                if a.overlaps(b):
                    found.append((ta, tb))
        return found

    def outside(self, margin: float = 0) -> list[str]:
        """Text lines that do not fit on the page."""
        return [t for b, t in self.boxes
                if b.x < margin or b.y < margin or b.x + b.w > self.width_ - margin or b.bottom > self.height - margin]

    def svg(self, *, title: str, description: str, background: str = "#ffffff") -> str:
        defs = f"<defs>{''.join(self.defs)}</defs>" if self.defs else ""
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width_}" height="{self.height}" '
                f'viewBox="0 0 {self.width_} {self.height}" font-family="{FAMILY}, Verdana, sans-serif">'
                f"<title>{escape_html(title)}</title><desc>{escape_html(description)}</desc>{defs}"
                f'<rect width="{self.width_}" height="{self.height}" fill="{background}"/>'
                + "".join(self.parts) + "</svg>")
