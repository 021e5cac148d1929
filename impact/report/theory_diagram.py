"""The chain drawn as an SVG: read from top to bottom, on a screen, on paper and on a phone.

Each step is a box with its number, its kind, its name and how strong its
evidence is; an arrow leads from a step to the next. The steps are put in
rows (a step comes below every step with an arrow to it; a row holds at
most ``per_row`` boxes); an arrow that skips a row runs through a free slot
in that row, so no arrow crosses a box; the order within a row is chosen so
that few arrows cross. Text is measured with the font's own widths
(``impact.report.canvas``) and wrapped inside its box, so no two texts
overlap (``Drawing.canvas.overlaps()`` says so).

``walk`` is the alt text: it walks the chain step by step, in words.

Example:
    >>> from impact.theory.model import Arrow, Step, Theory
    >>> t = Theory((Step("a", "activity", "Buurtbaners werken in de buurt", figures=("activities",)),
    ...             Step("b", "output", "Bewoners doen mee", figures=("residents_reached",))), (Arrow("a", "b"),))
    >>> d = draw(t, {"a": "strong", "b": "none"}, sizes=NARROW)
    >>> d.rows, d.canvas.overlaps()
    ([['a'], ['b']], [])
    >>> walk(t, {"a": "strong", "b": "none"}, "nl").split(". ")[2]
    'Stap 1, activiteit: Buurtbaners werken in de buurt'
"""

from __future__ import annotations

from dataclasses import dataclass, field

from impact.errors import Text
from impact.report.canvas import DESCENT, Canvas

# fill and bar colour per kind of step (light fills: dark text stays readable)
KIND_COLOURS = {"activity": ("#e6f0f8", "#0072B2"), "output": ("#fdf3e1", "#B36B00"),
                "short_term": ("#e3f4ee", "#007A5A"), "long_term": ("#fbe9e1", "#B3480A"),
                "impact": ("#f6eaf2", "#99457A")}
OTHER_COLOURS = ("#f2f2f2", "#595959")
INK, LINE = "#1a1a1a", "#595959"
DOTS = {"strong": 3, "some": 2, "weak": 1, "none": 0}


@dataclass(frozen=True)
class Sizes:
    """Type sizes and spaces of one version of the diagram (wide for screens and paper, narrow for phones)."""

    width: float
    per_row: int
    box_max: float
    caption: float
    label: float
    evidence: float
    pad: float = 10
    gap: float = 16
    channel: float = 44
    slot: float = 6       # the width of a free slot an arrow runs through, and its space to what is beside it
    max_lines: int = 5


WIDE = Sizes(width=720, per_row=3, box_max=250, caption=12, label=14, evidence=12)
NARROW = Sizes(width=340, per_row=2, box_max=170, caption=11, label=13, evidence=11, pad=8, gap=10, channel=38,
               slot=5)


@dataclass
class Drawing:
    canvas: Canvas
    rows: list[list[str]]                      # step ids per row (free slots left out)
    boxes: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)  # x, y, w, h


# --- rows and order ----------------------------------------------------------------------------------

def _rows(theory, per_row: int) -> list[list[str]]:
    """Each step in the first row below all steps with an arrow to it that still has room."""
    row_of: dict[str, int] = {}
    count: dict[int, int] = {}
    for step in theory.order():
        row = max((row_of[p] + 1 for p in theory.before(step) if p in row_of), default=0)
        while count.get(row, 0) >= per_row:
            row += 1
        row_of[step] = row
        count[row] = count.get(row, 0) + 1
    rows: list[list[str]] = [[] for _ in range(max(row_of.values(), default=-1) + 1)]
    for step in theory.order():
        rows[row_of[step]].append(step)
    return rows


def _with_slots(theory, rows: list[list[str]]) -> tuple[list[list[str]], list[list[str]]]:
    """Rows with a free slot (``"~<from>~<to>~<row>"``) for each arrow that skips a row, and each arrow as
    the list of items it passes (from, slots..., to)."""
    row_of = {s: i for i, row in enumerate(rows) for s in row}
    items = [list(row) for row in rows]
    paths = []
    for arrow in theory.arrows:
        a, b = row_of[arrow.source], row_of[arrow.target]
        path = [arrow.source]
        for r in range(a + 1, b):
            slot = f"~{arrow.source}~{arrow.target}~{r}"
            items[r].append(slot)
            path.append(slot)
        paths.append(path + [arrow.target])
    return items, paths


def _crossings(items: list[list[str]], links: list[tuple[str, str]]) -> int:
    pos = {s: i for row in items for i, s in enumerate(row)}
    row_of = {s: r for r, row in enumerate(items) for s in row}
    found = 0
    for r in range(len(items) - 1):
        here = [(pos[a], pos[b]) for a, b in links if row_of[a] == r]
        found += sum(1 for i, (a1, b1) in enumerate(here) for a2, b2 in here[i + 1:] if (a1 - a2) * (b1 - b2) < 0)
    return found


def _order(items: list[list[str]], paths: list[list[str]]) -> list[list[str]]:
    """Sweep down and up a few times, each item to the mean place of its neighbours (barycentre);
    keep the order with the fewest crossings."""
    links = [(p[i], p[i + 1]) for p in paths for i in range(len(p) - 1)]
    best = [list(r) for r in items]
    best_n = _crossings(best, links)
    current = [list(r) for r in items]
    for sweep in range(8):
        down = sweep % 2 == 0
        order = range(1, len(current)) if down else range(len(current) - 2, -1, -1)
        for r in order:
            other = current[r - 1] if down else current[r + 1]
            pos = {s: i for i, s in enumerate(other)}
            near = {s: [pos[b if down else a] for a, b in links if (b if down else a) in pos and (a if down else b) == s]
                    for s in current[r]}
            keyed = [(sum(n) / len(n) if n else i, i, s) for i, (s, n) in enumerate(near.items())]
            current[r] = [s for _, _, s in sorted(keyed)]
        n = _crossings(current, links)
        if n < best_n:
            best, best_n = [list(r) for r in current], n
    return best


# --- drawing -------------------------------------------------------------------------------------------

def _wrap(canvas: Canvas, text: str, width: float, size: float, max_lines: int, bold: bool = False) -> list[str]:
    """Lines of at most ``width``; a word too long for one line is cut with a hyphen."""
    words = []
    for word in text.split():
        while canvas.width(word, size, bold) > width and len(word) > 2:
            cut = len(word) - 1
            while cut > 1 and canvas.width(word[:cut] + "-", size, bold) > width:
                cut -= 1
            words.append(word[:cut] + "-")
            word = word[cut:]
        words.append(word)
    lines: list[str] = []
    for word in words:
        trial = f"{lines[-1]} {word}" if lines and not lines[-1].endswith("-") else None
        if trial is not None and canvas.width(trial, size, bold) <= width:
            lines[-1] = trial
        elif lines and lines[-1].endswith("-") and canvas.width(lines[-1] + word, size, bold) <= width:
            lines[-1] += word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and canvas.width(last + " …", size, bold) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines[-1] = last + " …"
    return lines


def _box_lines(canvas, theory, step_id: str, numbers: dict, levels: dict, lang: str, inner: float,
               s: Sizes) -> tuple[list[str], list[str], list[str]]:
    step = theory.step(step_id)
    caption = f"{numbers[step_id]} · {step.kind_label(lang).upper()}"
    caption = _wrap(canvas, caption, inner, s.caption, 2, bold=True)
    label = _wrap(canvas, step.name(lang), inner, s.label, s.max_lines, bold=True)
    from impact.theory.evidence import LEVELS

    evidence = Text("Bewijs: {level}")(lang).format(level=LEVELS[levels.get(step_id, "none")](lang))
    return caption, label, _wrap(canvas, evidence, inner - _dots_width(s), s.evidence, 2)


def draw(theory, levels: dict[str, str], lang: str = "nl", sizes: Sizes = WIDE) -> Drawing:
    """Lay out and draw the chain; ``levels``: step id -> evidence level (``impact.theory.evidence``)."""
    s = sizes
    numbers = theory.numbers()
    rows = _rows(theory, s.per_row)
    items, paths = _with_slots(theory, rows)
    items = _order(items, paths)
    margin = 2.0
    usable = s.width - 2 * margin
    box_w = s.box_max

    def gap(a: str, b: str) -> float:
        return s.slot if a.startswith("~") or b.startswith("~") else s.gap

    for row in items:
        real = sum(1 for i in row if not i.startswith("~"))
        slots = len(row) - real
        if real:
            spaces = sum(gap(a, b) for a, b in zip(row, row[1:]))
            box_w = min(box_w, (usable - slots * s.slot - spaces) / real)
    canvas = Canvas(s.width, 10)
    inner = box_w - 2 * s.pad - 4
    text = {i: _box_lines(canvas, theory, i, numbers, levels, lang, inner, s) for row in items for i in row
            if not i.startswith("~")}
    lead = {k: round(size * 1.25, 1) for k, size in (("caption", s.caption), ("label", s.label),
                                                      ("evidence", s.evidence))}

    def box_height(i: str) -> float:
        caption, label, evidence = text[i]
        return (s.pad + len(caption) * lead["caption"] + 4 + len(label) * lead["label"] + 6
                + len(evidence) * lead["evidence"] + s.pad + DESCENT * s.evidence)

    # x: each item near its neighbours in the row above, without overlap, inside the page
    wide = {i: (s.slot if i.startswith("~") else box_w) for row in items for i in row}
    x: dict[str, float] = {}
    links = [(p[k], p[k + 1]) for p in paths for k in range(len(p) - 1)]
    for r, row in enumerate(items):
        total = sum(wide[i] for i in row) + sum(gap(a, b) for a, b in zip(row, row[1:]))
        left = margin + (usable - total) / 2
        even = {}
        for i in row:
            even[i] = left + wide[i] / 2
            left += wide[i] + (gap(i, row[row.index(i) + 1]) if i != row[-1] else 0)
        want = {}
        for i in row:
            above = [x[a] for a, b in links if b == i and a in x]
            want[i] = sum(above) / len(above) if above and r > 0 else even[i]
        placed: list[float] = []
        for n, i in enumerate(row):
            lo = margin + wide[i] / 2 if n == 0 else \
                placed[-1] + wide[row[n - 1]] / 2 + gap(row[n - 1], i) + wide[i] / 2
            placed.append(max(want[i], lo))
        for n in range(len(row) - 1, -1, -1):
            hi = margin + usable - wide[row[n]] / 2 if n == len(row) - 1 else \
                placed[n + 1] - wide[row[n + 1]] / 2 - gap(row[n], row[n + 1]) - wide[row[n]] / 2
            placed[n] = min(placed[n], hi)
        x.update(zip(row, placed))
    # y: rows one below the other; every box in a row as high as the highest
    top, heights, row_top = margin, [], []
    for row in items:
        h = max((box_height(i) for i in row if not i.startswith("~")), default=0)
        row_top.append(top)
        heights.append(h)
        top += h + s.channel
    canvas.height = round(top - s.channel + margin, 1)
    row_of = {i: r for r, row in enumerate(items) for i in row}
    drawing = Drawing(canvas, [[i for i in row if not i.startswith("~")] for row in items])
    for i, r in row_of.items():
        if not i.startswith("~"):
            drawing.boxes[i] = (x[i] - box_w / 2, row_top[r], box_w, heights[r])

    canvas.defs.append('<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
                       f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{LINE}"/>'
                       "</marker>")
    _draw_arrows(canvas, paths, x, row_of, row_top, heights, box_w)
    for i, (bx, by, bw, bh) in drawing.boxes.items():
        _draw_box(canvas, theory.step(i), text[i], levels.get(i, "none"), bx, by, bw, bh, s, lead)
    return drawing


def _ports(ends: list[float], centre: float, span: float) -> list[float]:
    """Where ``len(ends)`` arrows leave (or reach) a box side, in the order of their other ends."""
    n = len(ends)
    if n == 1:
        return [centre]
    return [centre - span / 2 + span * k / (n - 1) for k in range(n)]


def _draw_arrows(canvas: Canvas, paths, x, row_of, row_top, heights, box_w) -> None:
    out_ends: dict[str, list] = {}
    in_ends: dict[str, list] = {}
    for n, p in enumerate(paths):
        out_ends.setdefault(p[0], []).append((x[p[1]], n))
        in_ends.setdefault(p[-1], []).append((x[p[-2]], n))
    start, end = {}, {}
    for step, ends in out_ends.items():
        ends.sort()
        for (_, n), px in zip(ends, _ports([e for e, _ in ends], x[step], box_w * 0.5)):
            start[n] = px
    for step, ends in in_ends.items():
        ends.sort()
        for (_, n), px in zip(ends, _ports([e for e, _ in ends], x[step], box_w * 0.5)):
            end[n] = px
    for n, p in enumerate(paths):
        points = []  # (x, y top of segment, y bottom) per item
        for k, item in enumerate(p):
            r = row_of[item]
            px = start[n] if k == 0 else end[n] if k == len(p) - 1 else x[item]
            points.append((px, row_top[r], row_top[r] + heights[r]))
        d = f"M{points[0][0]:.1f},{points[0][2]:.1f}"
        for (x1, _, y1), (x2, y2, y2_bottom) in zip(points, points[1:]):
            mid = (y1 + y2) / 2
            d += f" C{x1:.1f},{mid:.1f} {x2:.1f},{mid:.1f} {x2:.1f},{y2 - 1.5:.1f}"
            if (x2, y2, y2_bottom) != points[-1]:
                d += f" L{x2:.1f},{y2_bottom:.1f}"
        canvas.path(d, fill="none", stroke=LINE, **{"stroke-width": 1.6, "marker-end": "url(#arrow)"})


def _draw_box(canvas: Canvas, step, lines, level: str, x, y, w, h, s: Sizes, lead: dict) -> None:
    fill, bar = KIND_COLOURS.get(step.kind, OTHER_COLOURS)
    caption, label, evidence = lines
    canvas.rect(x, y, w, h, fill, rx=6, stroke=bar, **{"stroke-width": 1})
    canvas.rect(x, y, 5, h, bar, rx=0)
    left = x + s.pad + 4
    base = y + s.pad + s.caption * 0.93
    for line in caption:
        canvas.text(left, base, line, s.caption, fill=INK, bold=True)
        base += lead["caption"]
    base += 4 - s.caption * 0.93 + s.label * 0.93
    for line in label:
        canvas.text(left, base, line, s.label, fill=INK, bold=True)
        base += lead["label"]
    base += 6 - lead["label"] + lead["evidence"]
    for line in evidence:
        box = canvas.text(left, base, line, s.evidence, fill=INK)
        base += lead["evidence"]
    base -= lead["evidence"]
    r = s.evidence * 0.3
    cx = box.x + box.w + r + 6
    for k in range(3):
        filled = k < DOTS.get(level, 0)
        canvas.raw(f'<circle cx="{cx + k * (2 * r + 3):.1f}" cy="{base - s.evidence * 0.35:.1f}" r="{r:.1f}" '
                   f'fill="{bar if filled else "#ffffff"}" stroke="{bar}" stroke-width="1"/>')


def _dots_width(s: Sizes) -> float:
    """The room the three evidence dots take after the text."""
    r = s.evidence * 0.3
    return 6 + 3 * 2 * r + 2 * 3


def diagram_svg(theory, levels: dict[str, str], lang: str = "nl", *, narrow: bool = False,
                title: str | None = None) -> str:
    """The chain as an inline SVG with its title and alt text (``walk``), ready for a report page."""
    from impact.report.show import svg_for_page

    drawing = draw(theory, levels, lang, sizes=NARROW if narrow else WIDE)
    c = drawing.canvas
    svg = (f'<svg width="{c.width_}" height="{c.height}" viewBox="0 0 {c.width_} {c.height}" '
           f'font-family="DejaVu Sans, Verdana, sans-serif"><defs>{"".join(c.defs)}</defs>'
           + "".join(c.parts) + "</svg>")
    title = title or Text("Van activiteit naar effect")(lang)
    return svg_for_page(svg, title=title, description=walk(theory, levels, lang))


def walk(theory, levels: dict[str, str], lang: str = "nl") -> str:
    """The alt text: the chain in words, step by step, in the order of the step numbers."""
    from impact.theory.evidence import LEVELS

    numbers = theory.numbers()
    nl = lang != "en"
    parts = [Text("Het schema heeft {n_steps} stappen en {n_arrows} pijlen",
                  n_steps=len(theory.steps), n_arrows=len(theory.arrows))(lang),
             Text("Lees het van boven naar beneden")(lang)]
    for step_id in theory.order():
        step = theory.step(step_id)
        head = Text("Stap {value}, {kind_label}: {name}",
                    value=numbers[step_id], kind_label=step.kind_label, name=step.name)(lang)
        level = LEVELS[levels.get(step_id, "none")](lang)
        parts.append(head)
        parts.append(Text("Bewijs: {level}", level=level)(lang))
        after = theory.after(step_id)
        if after:
            targets = [f"{'stap' if nl else 'step'} {numbers[t]} ({theory.step(t).name(lang)})" for t in after]
            joined = targets[0] if len(targets) == 1 else \
                ", ".join(targets[:-1]) + (" en " if nl else " and ") + targets[-1]
            parts.append(Text("Leidt tot ")(lang) + joined)
        else:
            parts.append(Text("Hier eindigt deze keten")(lang))
    return ". ".join(p.rstrip(".") for p in parts) + "."
