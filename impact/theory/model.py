"""The theory of change as a file: ``data/raw/theory_of_change.yaml``.

The team writes it together, in a text editor::

    steps:
      - id: buurtbaan                  # a short name: letters, digits, _ . -
        kind: activiteit               # activiteit | resultaat | kort | lang | impact
        label: Buurtbaners werken in de buurt
        label_en: Buurtbaners work in the neighbourhood
        figures: [activities, doorbells_rung]   # published figures, by name (docs/cijfers.md)
        codes: [bereik]                # codes from the codebook (their evidence is for this step)
        codes_against: [grenzen]       # codes whose passages speak against this step
        items: [bewoners:tevreden]     # questionnaire items: <instrument>:<item>
        measures: [ladder]             # ladder (Participatieladder) or gas (own goals)
    arrows:
      - from: buurtbaan
        to: bereikt
        assumption: Bewoners doen eerder open voor iemand uit hun eigen buurt.

A code that carries the codebook tag ``contradicts`` counts against the
step it is listed under, like a code in ``codes_against``.

``parse_theory`` checks the file and keeps the YAML line (and column) of
every value, so a mistake is named with file, line, field, value and what
was expected: an unknown figure, code, item or measure; a step without an
indicator; an arrow to a step that does not exist; an arrow that closes a
cycle. Nothing is dropped without a problem: a step with a wrong indicator
stays in the chain without that indicator; an arrow that cannot be drawn
(unknown step, a cycle, twice the same) is left out and named.

Example:
    >>> theory, problems = parse_theory('''
    ... steps:
    ...   - id: a
    ...     kind: activiteit
    ...     label: Iets doen
    ...     figures: [activities, fietsen]
    ... ''', "toc.yaml", figures={"activities": None})
    >>> theory.steps[0].figures
    ('activities',)
    >>> print(problems[0].render("en"))  # doctest: +ELLIPSIS
    toc.yaml, line 6:27, column 'figures': value 'fietsen'; expected a published figure ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from impact.errors import Problem, Text

THEORY_FILE = "theory_of_change.yaml"
# the quarantine and the overview report know the theory's problems by this table
TABLE = "theory_steps"

KINDS: dict[str, Text] = {
    "activity": Text("activiteit"),
    "output": Text("resultaat"),
    "short_term": Text("effect op korte termijn"),
    "long_term": Text("effect op lange termijn"),
    "impact": Text("impact"),
}
_KIND_WORDS = {
    "activity": "activity", "activities": "activity", "activiteit": "activity", "activiteiten": "activity",
    "output": "output", "outputs": "output", "resultaat": "output", "resultaten": "output",
    "prestatie": "output", "prestaties": "output",
    "short_term": "short_term", "short": "short_term", "kort": "short_term", "korte_termijn": "short_term",
    "effect_korte_termijn": "short_term", "short_term_outcome": "short_term",
    "long_term": "long_term", "long": "long_term", "lang": "long_term", "lange_termijn": "long_term",
    "effect_lange_termijn": "long_term", "long_term_outcome": "long_term",
    "impact": "impact", "maatschappelijk_effect": "impact",
}
# a measure stands for the published figures that show it
MEASURES: dict[str, tuple[str, ...]] = {
    "ladder": ("ladder_measured", "ladder_up"),
    "gas": ("gas_scored", "gas_improved", "gas_goals_met"),
}
_MEASURE_WORDS = {"ladder": "ladder", "participatieladder": "ladder", "gas": "gas", "doelen": "gas",
                  "eigen_doelen": "gas", "goal_attainment_scaling": "gas"}
CONTRADICTS = "contradicts"
INDICATOR_FIELDS = ("figures", "codes", "codes_against", "items", "measures")
STEP_FIELDS = ("id", "kind", "label", "label_en", *INDICATOR_FIELDS)
ARROW_FIELDS = ("from", "to", "assumption", "assumption_en")
TOP_FIELDS = ("steps", "arrows")
_ID = re.compile(r"^[A-Za-z0-9_.-]+$")
_NULL = "tag:yaml.org,2002:null"

EXPECT = {
    "file": Text("een kop 'steps:' met daaronder per stap '- id: naam' (zie docs/handleiding.md)"),
    "steps": Text("een lijst van stappen, elk beginnend met '- id: naam'"),
    "arrows": Text("een lijst van pijlen, elk als '- from: stap' met 'to: stap' eronder"),
    "id": Text("een korte naam voor de stap, zonder spaties of dubbele punt (bijvoorbeeld bewoners_bereikt)"),
    "kind": Text("een soort stap: activiteit, resultaat, kort (effect op korte termijn), lang (effect op "
                 "lange termijn) of impact"),
    "label": Text("de naam van de stap zoals lezers die zien"),
    "indicator": Text("minstens één meetpunt: figures, codes, codes_against, items of measures"),
    "item": Text("een vraag als vragenlijst:vraag, bijvoorbeeld bewoners:tevreden"),
    "measure": Text("een maat: ladder (Participatieladder) of gas (eigen doelen)"),
    "assumption": Text("een aanname: waarom leidt deze stap tot de volgende? (de pijl blijft staan)"),
}


# --- the theory --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """One step of the chain with its indicators (figure names, code names, ``instrument:item``, measures)."""

    id: str
    kind: str | None
    label: str
    label_en: str | None = None
    figures: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    codes_against: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False)

    def name(self, lang: str = "nl") -> str:
        """What readers see: the label (``label_en`` in English when there is one)."""
        text = self.label_en if lang == "en" and self.label_en else self.label
        return text or Text("(stap zonder naam)")(lang)

    def kind_label(self, lang: str = "nl") -> str:
        return KINDS[self.kind](lang) if self.kind in KINDS else Text("stap")(lang)

    def all_figures(self) -> list[str]:
        """The step's figures and the figures of its measures, each once, in the file's order.

        Example:
            >>> Step("s", "short_term", "x", figures=("ladder_up",), measures=("ladder",)).all_figures()
            ['ladder_up', 'ladder_measured']
        """
        names = list(self.figures) + [f for m in self.measures for f in MEASURES.get(m, ())]
        return list(dict.fromkeys(names))

    @property
    def has_indicator(self) -> bool:
        return any((self.figures, self.codes, self.codes_against, self.items, self.measures))


@dataclass(frozen=True)
class Arrow:
    """``source`` leads to ``target``, because of ``assumption``."""

    source: str
    target: str
    assumption: str | None = None
    assumption_en: str | None = None
    line: int | None = field(default=None, compare=False)

    def reason(self, lang: str = "nl") -> str | None:
        return self.assumption_en if lang == "en" and self.assumption_en else self.assumption


@dataclass(frozen=True)
class Theory:
    steps: tuple[Step, ...] = ()
    arrows: tuple[Arrow, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.steps)

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)

    def after(self, step_id: str) -> list[str]:
        return [a.target for a in self.arrows if a.source == step_id]

    def before(self, step_id: str) -> list[str]:
        return [a.source for a in self.arrows if a.target == step_id]

    def order(self) -> list[str]:
        """Step ids in reading order: a step comes after every step with an arrow to it; otherwise the
        file's order. The report numbers the steps in this order.

        Example:
            >>> t = Theory((Step("b", None, "B"), Step("a", None, "A"), Step("c", None, "C")),
            ...            (Arrow("a", "b"),))
            >>> t.order()
            ['a', 'b', 'c']
        """
        position = {s.id: i for i, s in enumerate(self.steps)}
        waiting = {s.id: len(set(self.before(s.id))) for s in self.steps}
        done: list[str] = []
        while len(done) < len(self.steps):
            ready = [s for s, n in waiting.items() if n == 0 and s not in done]
            if not ready:  # a cycle (the checks leave none): the rest in the file's order
                done += [s.id for s in self.steps if s.id not in done]
                break
            first = min(ready, key=position.__getitem__)
            done.append(first)
            for target in set(self.after(first)):
                waiting[target] -= 1
        return done

    def numbers(self) -> dict[str, int]:
        """Step id -> its number in the report (1, 2, ...)."""
        return {s: i + 1 for i, s in enumerate(self.order())}


# --- reading the YAML with its line numbers ----------------------------------------------------

def _where(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _scalar(node) -> str | None:
    """A scalar's text (stripped), None for an empty value or a list/mapping."""
    import yaml

    if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL:
        return None
    text = str(node.value).strip()
    return text or None


def _words(node) -> list[tuple[str, int, int]]:
    """A list field as (word, line, column): a YAML list, or one text with commas."""
    import yaml

    if node is None:
        return []
    if isinstance(node, yaml.SequenceNode):
        out = []
        for item in node.value:
            text = _scalar(item)
            if text is not None:
                out.append((text, *_where(item)))
            elif not (isinstance(item, yaml.ScalarNode) and item.tag == _NULL):
                out.append(("…", *_where(item)))  # a list or mapping where a word was expected
        return out
    text = _scalar(node)
    if text is None:
        return []
    line, col = _where(node)
    return [(w.strip(), line, col) for w in text.split(",") if w.strip()]


def _mapping(node) -> dict[str, tuple]:
    """A mapping node as {key: (key node, value node)} (the first of a key given twice)."""
    out: dict[str, tuple] = {}
    for key, value in node.value:
        name = _scalar(key)
        if name is not None and name not in out:
            out[name] = (key, value)
    return out


def _suggest(word: str, known) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return close[0] if close else ""


class _Checker:
    """Collects problems for one file, each with a line and column."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def bad(self, node_or_line, column: str | None, value, expected: Text, severity: str = "error",
            record: dict | None = None) -> None:
        if isinstance(node_or_line, tuple):
            line, col = node_or_line
        elif node_or_line is None or isinstance(node_or_line, int):
            line, col = node_or_line, None
        else:
            line, col = _where(node_or_line)
        self.problems.append(Problem(self.file, line, column, value, expected, severity=severity, unit="line",
                                     position=col, record=record))


def _figure_problem(name: str, figures: dict[str, str | None]) -> Text | None:
    """None when ``name`` is a published figure with one value; else what was expected."""
    if name not in figures:
        hint = _suggest(name, figures)
        return Text("een kerncijfer uit docs/cijfers.md, bijvoorbeeld residents_reached{hint}",
                    hint=Text(" (bedoelt u {hint}?)", hint=hint) if hint else "")
    by = figures[name]
    if by is not None:
        return Text("een kerncijfer met één waarde ({name} heeft een waarde per {by})", name=name, by=by)
    return None


def parse_theory(source: str, file: str = THEORY_FILE, *, codes: dict[str, str] | None = None,
                 items=None, figures: dict[str, str | None] | None = None) -> tuple[Theory, list[Problem]]:
    """Read and check a theory of change; returns (theory, problems).

    ``codes``: every code name and alias (lower case) -> the current code
    (``impact.coding.code_lookup``); ``None`` leaves codes unchecked.
    ``items(instrument)``: the item names of a questionnaire, or ``None``
    when there is no such questionnaire; ``None`` leaves items unchecked.
    ``figures``: every published figure -> what it has a value per (None:
    one value; ``impact.figures.value_per()``); ``None`` leaves figures
    unchecked.
    """
    import yaml

    check = _Checker(file)
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        check.bad((mark.line + 1, mark.column + 1) if mark else None, None, getattr(exc, "problem", None),
                  Text("geldige YAML (let op inspringen en dubbele punten)"))
        return Theory(), check.problems
    if not isinstance(root, yaml.MappingNode):
        check.bad(root if root is not None else 1, None, _scalar(root) if root is not None else None,
                  EXPECT["file"])
        return Theory(), check.problems
    top = _mapping(root)
    for key, (key_node, _) in top.items():
        if key not in TOP_FIELDS:
            check.bad(key_node, key, None, Text("een van de kopjes {top_fields}", top_fields=', '.join(TOP_FIELDS)), "warning")
    steps_node = top.get("steps", (None, None))[1]
    if not isinstance(steps_node, yaml.SequenceNode) or not steps_node.value:
        where = steps_node if steps_node is not None else top["steps"][0] if "steps" in top else root
        check.bad(where, "steps", _scalar(steps_node) if steps_node is not None else None, EXPECT["steps"])
        return Theory(), check.problems
    steps: list[Step] = []
    seen: dict[str, int] = {}
    for node in steps_node.value:
        step = _read_step(node, check, seen, codes, items, figures)
        if step is not None:
            steps.append(step)
    arrows = _read_arrows(top.get("arrows", (None, None))[1], check, {s.id for s in steps})
    return Theory(tuple(steps), tuple(arrows)), check.problems


def _read_step(node, check: _Checker, seen: dict[str, int], codes, items, figures) -> Step | None:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        check.bad(node, "steps", _scalar(node), EXPECT["steps"])
        return None
    fields = _mapping(node)
    line = _where(node)[0]
    step_id = _scalar(fields["id"][1]) if "id" in fields else None
    if step_id is None or not _ID.match(step_id):
        check.bad(fields["id"][1] if "id" in fields else node, "id", step_id, EXPECT["id"],
                  record={k: _scalar(v) for k, (_, v) in fields.items()})
        return None
    if step_id in seen:
        check.bad(fields["id"][1], "id", step_id, Text("een unieke naam; de stap op regel {value} heet ook zo",
                                                       value=seen[step_id]))
        return None
    seen[step_id] = line
    for key, (key_node, _) in fields.items():
        if key not in STEP_FIELDS:
            check.bad(key_node, key, None, Text("een van de velden {step_fields}",
                                                step_fields=', '.join(STEP_FIELDS)), "warning")
    kind_text = _scalar(fields["kind"][1]) if "kind" in fields else None
    kind = _KIND_WORDS.get(re.sub(r"[\s-]+", "_", kind_text.lower())) if kind_text else None
    if kind is None:
        check.bad(fields["kind"][1] if "kind" in fields else node, "kind", kind_text, EXPECT["kind"])
    label = _scalar(fields["label"][1]) if "label" in fields else None
    if label is None:
        check.bad(fields["label"][1] if "label" in fields else node, "label", None, EXPECT["label"])
    found: dict[str, list[str]] = {name: [] for name in INDICATOR_FIELDS}
    written = 0
    for name in INDICATOR_FIELDS:
        for word, w_line, w_col in _words(fields[name][1]) if name in fields else []:
            written += 1
            kept = _check_indicator(name, word, (w_line, w_col), check, codes, items, figures)
            if kept is not None and kept not in found[name]:
                found[name].append(kept)
    if written == 0:
        check.bad(node, None, step_id, EXPECT["indicator"])
    return Step(step_id, kind, label or "", _scalar(fields["label_en"][1]) if "label_en" in fields else None,
                line=line, **{name: tuple(values) for name, values in found.items()})


def _check_indicator(name: str, word: str, where: tuple[int, int], check: _Checker, codes, items,
                     figures) -> str | None:
    """The indicator as it is kept (a code under its current name), or None (a problem is added)."""
    if name == "figures":
        wrong = None if figures is None else _figure_problem(word, figures)
        if wrong is not None:
            check.bad(where, name, word, wrong)
            return None
        return word
    if name in ("codes", "codes_against"):
        if codes is None:
            return word
        current = codes.get(word.lower())
        if current is None:
            hint = _suggest(word.lower(), codes)
            check.bad(where, name, word, Text("een code of oude naam (alias) uit het codeboek{hint}",
                                              hint=Text(" (bedoelt u {hint}?)", hint=codes[hint]) if hint else ""))
        return current
    if name == "measures":
        measure = _MEASURE_WORDS.get(re.sub(r"[\s-]+", "_", word.lower()))
        if measure is None:
            check.bad(where, name, word, EXPECT["measure"])
        return measure
    instrument, sep, item = word.partition(":")
    instrument, item = instrument.strip(), item.strip()
    if not sep or not instrument or not item:
        check.bad(where, name, word, EXPECT["item"])
        return None
    if items is None:
        return f"{instrument}:{item}"
    known = items(instrument)
    if known is None:
        check.bad(where, name, word, Text("een vragenlijst uit questionnaires/ "
                                          "(questionnaires/{instrument}.xlsx bestaat niet)",
                                          instrument=instrument))
        return None
    if known and item not in known:
        hint = _suggest(item, known)
        check.bad(where, name, word, Text("een vraag uit questionnaires/{instrument}.xlsx (kolom name){hint}",
                                          instrument=instrument,
                                          hint=Text("; bedoelt u {hint}?", hint=hint) if hint else ""))
        return None
    return f"{instrument}:{item}"


def _path(arrows: dict[str, list[str]], start: str, goal: str) -> list[str] | None:
    """A path of arrows from ``start`` to ``goal`` (breadth first), or None."""
    came = {start: None}
    todo = [start]
    while todo:
        here = todo.pop(0)
        if here == goal:
            path = [here]
            while came[path[-1]] is not None:
                path.append(came[path[-1]])
            return path[::-1]
        for nxt in arrows.get(here, []):
            if nxt not in came:
                came[nxt] = here
                todo.append(nxt)
    return None


def _read_arrows(node, check: _Checker, step_ids: set[str]) -> list[Arrow]:
    """The arrows, in the file's order; an arrow that would close a cycle is left out (and named)."""
    import yaml

    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL):
        return []
    if not isinstance(node, yaml.SequenceNode):
        check.bad(node, "arrows", _scalar(node), EXPECT["arrows"])
        return []
    kept: list[Arrow] = []
    graph: dict[str, list[str]] = {}
    for item in node.value:
        if not isinstance(item, yaml.MappingNode):
            check.bad(item, "arrows", _scalar(item), EXPECT["arrows"])
            continue
        fields = _mapping(item)
        record = {k: _scalar(v) for k, (_, v) in fields.items()}
        for key, (key_node, _) in fields.items():
            if key not in ARROW_FIELDS:
                check.bad(key_node, key, None, Text("een van de velden {arrow_fields}",
                                                    arrow_fields=', '.join(ARROW_FIELDS)), "warning")
        ends = {}
        for end in ("from", "to"):
            value = _scalar(fields[end][1]) if end in fields else None
            if value not in step_ids:
                known = ", ".join(sorted(step_ids))
                check.bad(fields[end][1] if end in fields else item, end, value, Text("een stap (id) uit "
                                                                                      "deze verandertheorie: "
                                                                                      "{known}",
                                                                                      known=known),
                    record=record)
            ends[end] = value
        if ends["from"] not in step_ids or ends["to"] not in step_ids:
            continue
        source, target = ends["from"], ends["to"]
        if target in graph.get(source, []):
            check.bad(item, "to", f"{source} -> {target}", Text("één pijl tussen twee stappen; deze pijl "
                                                                "staat er al"), record=record)
            continue
        loop = _path(graph, target, source)
        if loop is not None:
            shown = " -> ".join(loop + [target])
            check.bad(item, "to", f"{source} -> {target}", Text("pijlen zonder kringloop; met deze pijl gaat "
                                                                "het rond: {shown}. Deze pijl is weggelaten",
                                                                shown=shown),
                record=record)
            continue
        assumption = _scalar(fields["assumption"][1]) if "assumption" in fields else None
        if assumption is None:
            check.bad(fields["assumption"][1] if "assumption" in fields else item, "assumption", None,
                      EXPECT["assumption"], "warning")
        graph.setdefault(source, []).append(target)
        kept.append(Arrow(source, target, assumption,
                          _scalar(fields["assumption_en"][1]) if "assumption_en" in fields else None,
                          line=_where(item)[0]))
    return kept


# --- the study's file ----------------------------------------------------------------------------

def theory_path(study) -> Path:
    return study.raw / THEORY_FILE


def questionnaire_items(study):
    """``items(instrument)`` for ``parse_theory``: the question names of ``questionnaires/<instrument>.xlsx``."""
    cache: dict[str, set[str] | None] = {}

    def items(instrument: str) -> set[str] | None:
        if instrument not in cache:
            path = study.questionnaires / f"{instrument}.xlsx"
            if not path.is_file():
                cache[instrument] = None
            else:
                from impact.errors import InputError
                from impact.questionnaires import read_xlsform

                try:
                    form = read_xlsform(path, name=instrument)
                    cache[instrument] = {q["name"] for q in form.answer_questions()}
                except InputError:
                    cache[instrument] = set()  # its own check names the mistake; items are not checked
        return cache[instrument]

    return items


def load_theory(study, *, codes: dict[str, str] | None = None,
                figures: dict[str, str | None] | None = None) -> tuple[dict | None, list[Problem]]:
    """Read and check ``data/raw/theory_of_change.yaml``; returns (processed tables, problems).

    The tables are ``theory_steps`` and ``theory_arrows`` (see
    ``theory_tables``); ``None`` when the study has no theory of change.
    ``codes`` (``impact.coding.code_lookup`` of the checked codebook) and
    ``figures`` (``impact.figures.value_per()``): what the indicators are
    checked against (``impact process`` passes both); the questionnaires'
    items are read here.
    """
    from impact.tabular import decode_bytes

    path = theory_path(study)
    if not path.is_file():
        return None, []
    text, _ = decode_bytes(path.read_bytes())
    theory, problems = parse_theory(text, study.rel(path), codes=codes, items=questionnaire_items(study),
                                    figures=figures)
    return theory_tables(theory), problems


def step_ids(study) -> set[str] | None:
    """The step ids of the study's theory of change (the steps a memo may be about); None without one."""
    from impact.tabular import decode_bytes

    path = theory_path(study)
    if not path.is_file():
        return None
    theory, _ = parse_theory(decode_bytes(path.read_bytes())[0], THEORY_FILE)
    return {s.id for s in theory.steps}


# --- processed tables ----------------------------------------------------------------------------

def theory_tables(theory: Theory) -> dict:
    """``theory_steps`` (one row per step, in the file's order; indicators as lists) and
    ``theory_arrows`` (one row per arrow)."""
    import polars as pl

    from impact.registers import table_schema

    steps = pl.DataFrame([{"step": s.id, "kind": s.kind, "label": s.label or None, "label_en": s.label_en,
                           **{name: list(getattr(s, name)) for name in INDICATOR_FIELDS}} for s in theory.steps],
                         schema=table_schema("theory_steps"))
    arrows = pl.DataFrame([{"from_step": a.source, "to_step": a.target, "assumption": a.assumption,
                            "assumption_en": a.assumption_en} for a in theory.arrows], schema=table_schema("theory_arrows"))
    return {"theory_steps": steps, "theory_arrows": arrows}


def read_theory(tables) -> Theory:
    """The theory of change from the processed tables (``impact.data.Tables``); empty without one."""
    steps = tables.raw_table("theory_steps")
    arrows = tables.raw_table("theory_arrows")
    return Theory(
        tuple(Step(r["step"], r["kind"], r["label"] or "", r["label_en"],
                   **{name: tuple(r[name] or ()) for name in INDICATOR_FIELDS})
              for r in steps.iter_rows(named=True)),
        tuple(Arrow(r["from_step"], r["to_step"], r["assumption"], r["assumption_en"])
              for r in arrows.iter_rows(named=True)))


def step_names(study, lang: str = "nl") -> dict[str, str]:
    """Step id -> the step's name as readers see it, from the processed ``theory_steps`` of ``study``."""
    from impact import reads

    path = study.processed / "theory_steps.parquet"
    reads.note(path)  # an input of the report being built (polars reads outside Python's open)
    if not path.is_file():
        return {}
    import polars as pl

    steps = pl.read_parquet(path)
    return {r["step"]: Step(r["step"], r["kind"], r["label"] or "", r["label_en"]).name(lang)
            for r in steps.iter_rows(named=True)}


def step_codes(step: Step, codebook) -> tuple[list[str], list[str]]:
    """The codes whose passages speak for and against ``step``.

    Against: the codes in ``codes_against`` and the codes in ``codes`` that
    carry the codebook tag ``contradicts``; for: the other codes.

    Example:
        >>> import polars as pl
        >>> book = pl.DataFrame({"code": ["bereik", "grenzen"], "tags": [[], ["contradicts"]]})
        >>> step_codes(Step("s", "output", "x", codes=("bereik", "grenzen"), codes_against=("taal",)), book)
        (['bereik'], ['taal', 'grenzen'])
    """
    tagged: set[str] = set()
    if codebook is not None and "tags" in codebook.columns:
        tagged = {c for c, tags in zip(codebook["code"].to_list(), codebook["tags"].to_list())
                  if tags is not None and CONTRADICTS in tags}
    against = list(dict.fromkeys(list(step.codes_against) + [c for c in step.codes if c in tagged]))
    return [c for c in step.codes if c not in tagged], against
