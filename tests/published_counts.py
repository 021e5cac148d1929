"""Reading counts of persons from published report pages, as an outsider would, for the disclosure tests.

Independent of impact's own code on purpose: it reads the files (HTML with inline SVG) and knows the
demo's figures only by what a reader knows about them (``SUBGROUPS``: which group of persons is a part
of which other). It finds:

* every number the page marks as a count of persons (``data-count="persons"``: figures, table cells,
  chart labels) with where it stands (its figure name, or its table, row and column);
* plain words that count persons ("3 buurtbaners", "n = 4") anywhere in the visible text;

and then the ways a count from 1 to k - 1 can be read: shown directly, as the difference between a
group and its subgroup on one page, as a percentage next to a hidden count, as the whole study minus
the districts' shown values across the pages of one build, or as the same figure shown on one page
and hidden on another.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser

# What a reader of the demo knows without looking at any number: this group is a part of that one.
# (Written here by hand, not taken from impact's registry: the test must not trust the code it checks.)
SUBGROUPS = {
    "buurtbaners_certified": "buurtbaners_placed",
    "contract_promises": "buurtbaners_placed",
    "follow_on_jobs": "buurtbaners_placed",
    "drop_outs": "buurtbaners_placed",
    "still_in_buurtbaan": "buurtbaners_placed",
    "without_follow_on_yet": "buurtbaners_placed",
    "ladder_measured": "buurtbaners_placed",
    "ladder_up": "ladder_measured",
    "gas_improved": "gas_scored",
    "gas_goals_met": "gas_scored",
    "residents_taking_part": "residents_reached",
    "volunteers_who_activate": "new_volunteers",
    "open_answer_respondents": "questionnaire_respondents",
    "coresearchers_named": "coresearchers",
    "residents_spoken_again": "residents_first_conversation",
}
# Tables in which one column counts a subgroup of the persons another column counts, row by row
# (caption start, subgroup column, group column).
TABLE_SUBGROUPS = [
    ("Open antwoorden", "Mensen die het noemen", "Mensen met een antwoord"),
    ("Bruggen", "Van hen een brug", "Mensen"),
    ("Medeonderzoekers per rol", "Met naam bedankt", "Medeonderzoekers"),
]
# Columns that are worked out from the persons in the same row (the interviews behind them, their
# visits, their mean rating): shown only when that count is (caption start, column).
TABLE_DERIVED = [
    ("Hoe vaak is elk thema gebruikt", "Stukken"), ("Hoe vaak is elk thema gebruikt", "Interviews"),
    ("Activiteiten die bewoners", "Bezoeken in drie maanden"),
    ("Activiteiten die bewoners", "Gemiddeld cijfer (1-5)"),
]
PERSON_WORDS = ("buurtbaners", "buurtbaner", "mensen", "personen", "persoon", "bewoners", "bewoner", "vrijwilligers",
                "vrijwilliger", "medeonderzoekers", "sleutelpersonen", "starters", "deelnemers", "people", "persons",
                "residents", "volunteers", "co-researchers")
_PLAIN_COUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})*)[ \u00a0]+(?:van de \d+[ \u00a0]+)?(" + "|".join(PERSON_WORDS) + r")\b",
                          re.I)
_N_IS = re.compile(r"\bn[ \u00a0]*=[ \u00a0]*(\d+)")


def number(text: str) -> int | None:
    """A shown count: '1.234' -> 1234; '< 5', 'x', '–' and anything else -> None (hidden or not a count)."""
    t = text.strip()
    return int(t.replace(".", "")) if re.fullmatch(r"\d{1,3}(?:\.\d{3})*|\d+", t) else None


@dataclass
class Count:
    """One number marked as a count of persons."""

    text: str
    figure: str | None = None
    key: str | None = None
    part_of: str | None = None
    same_as: str | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    chart: str | None = None

    @property
    def value(self) -> int | None:
        return number(self.text)

    @property
    def hidden(self) -> bool:
        t = self.text.strip()
        return t.startswith("<") or t == "x"


@dataclass
class Page:
    name: str
    counts: list[Count] = field(default_factory=list)
    text: str = ""
    # every table: caption -> (header, rows of (text, is_count))
    tables: dict = field(default_factory=dict)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page("")
        self.skip = 0
        self.visible: list[str] = []
        self.open: list[tuple[str, Count | None, list[str]]] = []  # (tag, count, text parts)
        self.caption: list[str] | None = None
        self.table: str | None = None
        self.header: list[str] = []
        self.row: list[tuple[str, bool]] | None = None
        self.cell: list[str] | None = None
        self.cell_is_count = False
        self.in_head = False
        self.chart: str | None = None
        self.heading: list[str] | None = None
        self.last_heading = ""
        self.footnote = False  # the infographic's footnotes start with their number ("1 Buurtbaners gestart: ...")
        self.marker = False  # a report's footnote number (<sup class="fn">): no part of the sentence ("x¹ mensen")

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag in ("style", "script", "title", "desc"):
            self.skip += 1
        if tag in ("h1", "h2", "h3", "h4"):
            self.heading = []
        if "note-mark" in a.get("class", "").split():
            self.footnote = True
        if tag == "sup" and "fn" in a.get("class", "").split():
            self.marker = True
        if tag == "figure" and "chart" in a.get("class", ""):
            self.chart = self.last_heading
        if tag == "caption":
            self.caption = []
        if tag == "thead":
            self.in_head = True
        if tag == "tr":
            self.row = []
        if tag in ("td", "th"):
            self.cell = []
            self.cell_is_count = a.get("data-count") == "persons"
        count = None
        if a.get("data-count") == "persons":
            count = Count("", a.get("data-figure"), a.get("data-key"), a.get("data-part-of"), a.get("data-same-as"),
                          chart=self.chart if tag == "text" else None)
        if tag not in ("br", "meta", "img", "input", "link", "hr"):
            self.open.append((tag, count, []))
        if tag in ("p", "li", "tr", "td", "th", "h1", "h2", "h3", "dt", "dd", "caption", "figcaption", "text", "div"):
            self.visible.append("\n")

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title", "desc"):
            self.skip = max(0, self.skip - 1)
        if tag == "sup":
            self.marker = False
        while self.open:
            t, count, parts = self.open.pop()
            if count is not None:
                count.text = "".join(parts).strip()
                if self.cell is not None and count.figure is None and tag in ("td", "th"):
                    count.table, count.column = self.table, (self.header[len(self.row or [])]
                                                             if len(self.row or []) < len(self.header) else None)
                    count.row = self.row[0][0] if self.row else None
                self.page.counts.append(count)
            if t == tag:
                break
        if tag in ("h1", "h2", "h3", "h4") and self.heading is not None:
            self.last_heading = "".join(self.heading).strip()
            self.heading = None
        if tag == "figure":
            self.chart = None
        if tag == "caption" and self.caption is not None:
            self.table = "".join(self.caption).strip()
            self.page.tables[self.table] = ([], [])
            self.header = []
            self.caption = None
        if tag == "thead":
            self.in_head = False
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            text = "".join(self.cell).strip()
            # a footnote number in a header is not part of its name
            text = re.sub(r"\d+$", "", text) if self.in_head else text
            self.row.append((text, self.cell_is_count))
            self.cell = None
        if tag == "tr" and self.row is not None:
            if self.in_head:
                self.header = [t for t, _ in self.row]
                if self.table in self.page.tables:
                    self.page.tables[self.table][0][:] = self.header
            elif self.table in self.page.tables:
                self.page.tables[self.table][1].append(self.row)
            self.row = None
        if tag == "table":
            self.table = None

    def handle_data(self, data):
        for _, count, parts in self.open:
            if count is not None and not self.skip:  # not the hover title inside an SVG number
                parts.append(data)
        if self.heading is not None:
            self.heading.append(data)
        if self.caption is not None:
            self.caption.append(data)
        if self.cell is not None and not (self.in_head and self.open and self.open[-1][0] == "a"):
            self.cell.append(data)
        if self.footnote:
            data, self.footnote = re.sub(r"^\s*\d+\s*", "", data), False
        if not self.skip and not self.marker:
            self.visible.append(data)


def read_page(name: str, markup: str) -> Page:
    reader = _Reader()
    reader.page.name = name
    reader.feed(markup)
    reader.page.text = html.unescape("".join(reader.visible))
    return reader.page


# --- the checks: each returns a list of readable problems ---------------------------------------

def shown_small_counts(page: Page, k: int) -> list[str]:
    found = [f"{page.name}: {c.figure or c.table or c.chart}: {c.text}" for c in page.counts
             if c.value is not None and 0 < c.value < k]
    for m in _PLAIN_COUNT.finditer(page.text):
        n = int(m.group(1).replace(".", ""))
        if 0 < n < k:
            found.append(f"{page.name}: in words: {m.group(0)!r}")
    for m in _N_IS.finditer(page.text):
        if 0 < int(m.group(1)) < k:
            found.append(f"{page.name}: in words: {m.group(0)!r}")
    return found


def subgroup_differences(page: Page, k: int) -> list[str]:
    """A group and its subgroup both shown on one page: their difference is a count of persons too."""
    found = []
    figures: dict[str, list[Count]] = defaultdict(list)
    for c in page.counts:
        if c.figure and c.key is None:
            figures[c.figure].append(c)
    pairs = dict(SUBGROUPS)
    pairs.update({c.figure: c.part_of for c in page.counts if c.figure and c.part_of})
    for child, parent in pairs.items():
        for a in figures.get(child, []):
            for b in figures.get(parent, []):
                if a.value is not None and b.value is not None and 0 < b.value - a.value < k:
                    found.append(f"{page.name}: {parent} {b.value} - {child} {a.value}")
    for caption, (header, rows) in page.tables.items():
        for start, sub, group in TABLE_SUBGROUPS:
            if not caption.startswith(start) or sub not in header or group not in header:
                continue
            i, j = header.index(sub), header.index(group)
            for row in rows:
                a, b = number(row[i][0]), number(row[j][0])
                if a is not None and b is not None and 0 < b - a < k:
                    found.append(f"{page.name}: {caption}, {row[0][0]}: {group} {b} - {sub} {a}")
    return found


def derived_next_to_hidden(page: Page) -> list[str]:
    """A percentage (or a number worked out from the persons in a row) shown next to a hidden count."""
    found = []
    for caption, (header, rows) in page.tables.items():
        derived = {header.index(col) for start, col in TABLE_DERIVED if caption.startswith(start) and col in header}
        for row in rows:
            if not any(is_count and (t.startswith("<") or t == "x") for t, is_count in row):
                continue
            for n, (t, is_count) in enumerate(row):
                if not is_count and (t.endswith("%") or n in derived) and t not in ("x", "–", ""):
                    found.append(f"{page.name}: {caption}, {row[0][0]}: {header[n]} {t} next to a hidden count")
    return found


def table_counts(page: Page):
    """Every count in a table: (table, row, column) -> Count."""
    return {(c.table, c.row, c.column): c for c in page.counts if c.table}


def across_pages(pages: dict[str | None, dict[str, Page]], k: int) -> list[str]:
    """The pages of one build: ``pages[district][report] -> Page`` (``None``: the whole study).

    * the same figure in the same place (district) must read the same on every page;
    * the whole study minus the districts' shown values (a row missing on a district's page counts 0)
      must not be a count from 1 to k - 1.
    """
    found = []
    districts = [d for d in pages if d is not None]
    # the same figure, the same district, two pages
    seen: dict[tuple, tuple[str, str]] = {}
    for scope, reports in pages.items():
        for report, page in reports.items():
            for c in page.counts:
                if not c.figure:
                    continue
                where = (c.same_as or c.figure, c.key if c.same_as else scope, None if c.same_as else c.key)
                if where in seen and seen[where][0] != c.text:
                    found.append(f"{where}: '{seen[where][0]}' on {seen[where][1]}, '{c.text}' on {page.name}")
                seen.setdefault(where, (c.text, page.name))
    # the whole study against its districts
    totals: dict[tuple, int] = {}
    for (name, scope, key), (text, _) in seen.items():
        if scope is None and number(text) is not None:
            totals[(name, key)] = number(text)
    for (name, key), total in totals.items():
        parts = [seen.get((name, d, key), ("0", "") if key is not None else None) for d in districts]
        if any(p is None for p in parts):
            continue  # not on every district's page (a value per key that is missing there is 0)
        rest = total - sum(number(t) or 0 for t, _ in parts)
        hidden = [d for d, (t, _) in zip(districts, parts) if number(t) is None]
        if hidden and 0 < rest < k:
            found.append(f"{name}: whole study {total}, districts leave {rest} for {', '.join(hidden)}")
    # tables: the whole study's cell against the same cell on every district's page
    for report, page in pages.get(None, {}).items():
        for where, c in table_counts(page).items():
            if c.value is None:
                continue
            parts = []
            for d in districts:
                other = pages[d].get(report)
                if other is None:
                    break
                cell = table_counts(other).get(where)
                parts.append((d, cell))
            else:
                hidden = [d for d, cell in parts if cell is not None and cell.value is None]
                rest = c.value - sum(cell.value or 0 for _, cell in parts if cell is not None)
                if hidden and 0 < rest < k:
                    found.append(f"{report}: {where}: whole study {c.value}, districts leave {rest} for "
                                 f"{', '.join(hidden)}")
    return found
