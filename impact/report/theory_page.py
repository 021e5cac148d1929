"""The report page "Van activiteit naar effect": the chain, why each arrow, and each step's evidence.

A notebook shows these pieces (``impact.report.show.Piece``) one after the
other::

    chain = theory_page.load_chain(tables)
    theory_page.diagram_piece(chain, language)
    theory_page.arrows_piece(chain, language)
    for piece in theory_page.step_pieces(chain, tables, language): display(piece)

Every number is a published figure shown through ``Value.html`` (with its
definition in the hover text and in the notes at the end of the page);
quotes come from ``impact.quoting.pick`` (consent and member checks
honoured); memos only when marked ``publish: ja``.
"""

from __future__ import annotations

from dataclasses import dataclass

from impact.errors import Text
from impact.privacy.escape import escape_html as esc

WORDS = {
    "missing": Text("Deze studie heeft nog geen verandertheorie. Schrijf die samen in "
                    "data/raw/theory_of_change.yaml: de stappen van wat jullie doen tot wat het oplevert, "
                    "met pijlen ertussen. Hoe dat gaat, staat in docs/handleiding.md. Draai daarna impact "
                    "validate en impact process."),
    "diagram": Text("De keten in één schema"),
    "diagram_takeaway": Text("Elk vak is een stap. Een pijl betekent: deze stap leidt tot de volgende."),
    "diagram_caption": Text("Lees het schema van boven naar beneden. Bij elke stap staat hoe sterk het "
                            "bewijs is. Onder het schema staat elke stap met zijn cijfers en citaten."),
    "arrows": Text("Waarom zou het zo werken?"),
    "arrows_intro": Text("Achter elke pijl zit een aanname: iets wat we denken, maar wat ook anders kan zijn."),
    "no_assumption": Text("Hier staat nog geen aanname bij."),
    "steps": Text("Stap voor stap"),
    "step": Text("Stap {n}: {name}"),
    "figures": Text("Cijfers bij deze stap"),
    "questions": Text("Vragen uit de vragenlijst"),
    "for": Text("Wat we hoorden"),
    "against": Text("Wat dit tegenspreekt"),
    "no_quote": Text("Er is (nog) geen citaat dat we mogen laten zien."),
    "no_against_code": Text("Voor deze stap is er nog geen code voor tegenbewijs."),
    "memo": Text("Uit het onderzoeksteam"),
    "weigh": Text("Zo wegen we het bewijs"),
}


@dataclass(frozen=True)
class Chain:
    """A study's theory of change with each step's evidence (for one set of tables)."""

    theory: object                 # impact.theory.Theory
    evidence: dict                 # step id -> impact.report.evidence.Evidence

    @property
    def levels(self) -> dict[str, str]:
        return {step: e.level for step, e in self.evidence.items()}

    def __bool__(self) -> bool:
        return bool(self.theory)


def load_chain(tables) -> Chain:
    """The theory of change of ``tables`` (``impact.data.Tables``) and the evidence for every step."""
    from impact.report.evidence import step_evidence
    from impact.theory.model import read_theory

    theory = read_theory(tables)
    return Chain(theory, {s.id: step_evidence(s, tables) for s in theory.steps})


def _piece(kind: str, html: str, meta: dict | None = None):
    from impact.report.show import Piece

    return Piece(kind, html, meta or {})


def missing_piece(lang: str = "nl"):
    """The note a page shows when the study has no theory of change."""
    from impact.report.show import note_piece

    return note_piece(WORDS["missing"](lang))


def diagram_piece(chain: Chain, lang: str = "nl"):
    """The chain as a diagram: one SVG for screens and paper, a narrower one for phones."""
    from impact.report.theory_diagram import diagram_svg

    title = WORDS["diagram"](lang)
    wide = diagram_svg(chain.theory, chain.levels, lang, title=title)
    narrow = diagram_svg(chain.theory, chain.levels, lang, narrow=True, title=title)
    html = (f'<section class="impact-piece impact-chart" data-impact="chart"><h2>{esc(title)}</h2>'
            f'<p class="takeaway">{esc(WORDS["diagram_takeaway"](lang))}</p>'
            f'<figure class="chart"><div class="chart-wide">{wide}</div><div class="chart-narrow">{narrow}</div>'
            f'<figcaption class="description">{esc(WORDS["diagram_caption"](lang))}</figcaption></figure>'
            "</section>")
    return _piece("chart", html, {"title": title, "level": 2})


def _step_name(chain: Chain, step_id: str, lang: str) -> str:
    n = chain.theory.numbers()[step_id]
    return Text("stap {n} ({name})", n=n, name=chain.theory.step(step_id).name)(lang)


def arrows_piece(chain: Chain, lang: str = "nl"):
    """Every arrow with the assumption behind it, in the order of the steps."""
    numbers = chain.theory.numbers()
    arrows = sorted(chain.theory.arrows, key=lambda a: (numbers[a.source], numbers[a.target]))
    items = []
    for a in arrows:
        head = Text("Van {a} naar {b}")(lang).format(a=_step_name(chain, a.source, lang),
                                                                          b=_step_name(chain, a.target, lang))
        reason = a.reason(lang) or WORDS["no_assumption"](lang)
        items.append(f"<li><strong>{esc(head)}.</strong> {esc(reason)}</li>")
    title = WORDS["arrows"](lang)
    html = (f'<section class="impact-piece impact-prose" data-impact="prose"><h2>{esc(title)}</h2>'
            f'<p>{esc(WORDS["arrows_intro"](lang))}</p><ol>{"".join(items)}</ol></section>')
    return _piece("prose", html, {"title": title, "level": 2})


def weigh_piece(tables, lang: str = "nl"):
    """How the evidence is weighed, in words (the rule of ``evidence_strength``)."""
    from impact.report.show import prose_piece
    from impact.theory.evidence import rule_words

    return prose_piece(rule_words(tables.k, lang), level=2, title=WORDS["weigh"](lang))


def _questions(tables, instruments: set[str]) -> dict[str, object]:
    """instrument -> its questionnaire (for the wording of an item), when the study has it."""
    from impact.errors import InputError
    from impact.questionnaires import read_xlsform

    forms = {}
    for name in sorted(instruments):
        path = tables.study.questionnaires / f"{name}.xlsx"
        try:
            forms[name] = read_xlsform(path, name=name) if path.is_file() else None
        except InputError:
            forms[name] = None
    return forms


def step_pieces(chain: Chain, tables, lang: str = "nl") -> list:
    """Per step (in the order of its number): heading, the judgement, its figures with their
    definitions, its questions, the strongest quotes for and against it, and published memos."""
    from impact.report.show import heading_piece

    pieces = [heading_piece(WORDS["steps"](lang), level=2)]
    forms = _questions(tables, {i.partition(":")[0] for s in chain.theory.steps for i in s.items})
    memos = _published_step_memos(tables)
    numbers = chain.theory.numbers()
    for step_id in chain.theory.order():
        step = chain.theory.step(step_id)
        pieces.append(heading_piece(WORDS["step"](lang).format(n=numbers[step_id], name=step.name(lang)), level=3))
        pieces.append(_summary_piece(chain, step, lang))
        pieces += _figure_pieces(chain.evidence[step_id], forms, lang)
        pieces += _quote_pieces(step, tables, lang)
        pieces += [_memo_piece(m, lang) for m in memos.get(step_id, [])]
    return pieces


def _summary_piece(chain: Chain, step, lang: str):
    """What kind of step it is, where it leads, and the judgement of its evidence."""
    evidence = chain.evidence[step.id]
    after = chain.theory.after(step.id)
    kind = step.kind_label(lang)
    where = kind[:1].upper() + kind[1:] + "."
    if after:
        names = [_step_name(chain, t, lang) for t in after]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + Text(" en ")(lang) + names[-1]
        where += " " + Text("Leidt tot {x}.")(lang).format(x=joined)
    html = (f'<div class="impact-piece impact-prose" data-impact="prose"><p class="impact-note">{esc(where)}</p>'
            f'<p><strong>{esc(evidence.headline(lang))}</strong> {evidence.judgement(lang).html()}</p></div>')
    return _piece("prose", html, {"text": f"{where} {evidence.headline(lang)} {evidence.judgement(lang).text()}"})


def _figure_pieces(evidence, forms: dict, lang: str) -> list:
    pieces = []
    if evidence.figures:
        items = "".join(f"<li><strong>{v.html(lang)} {esc(v.figure.label(lang))}.</strong> "
                        f"{esc(v.figure.definition(lang))}</li>" for v in evidence.figures)
        pieces.append(_piece("figures", f'<section class="impact-piece impact-prose" data-impact="figures">'
                                        f'<p><strong>{esc(WORDS["figures"](lang))}</strong></p><ul>{items}</ul>'
                                        "</section>", {"figures": [v.name for v in evidence.figures]}))
    if evidence.items:
        rows = []
        for item, v in evidence.items:
            instrument, _, name = item.partition(":")
            form = forms.get(instrument)
            wording = form.label(name, lang) if form is not None and form.has(name) else name
            answered = (f"{v.html(lang)} {esc(v.figure.label(lang))}" if v is not None
                        else esc(Text("nog geen antwoorden")(lang)))
            rows.append(f"<li>“{esc(wording)}” ({esc(Text('vragenlijst')(lang))} "
                        f"{esc(instrument)}): {answered}.</li>")
        pieces.append(_piece("figures", f'<section class="impact-piece impact-prose" data-impact="figures">'
                                        f'<p><strong>{esc(WORDS["questions"](lang))}</strong></p>'
                                        f'<ul>{"".join(rows)}</ul></section>', {"figures": ["item_respondents"]}))
    return pieces


def _quote_pieces(step, tables, lang: str) -> list:
    """The strongest quotes for the step (two) and against it (one), from the one quote picker."""
    from impact.quoting import pick
    from impact.report.show import note_piece, quote_piece
    from impact.theory.model import step_codes

    codes_for, codes_against = step_codes(step, tables.codebook)
    against = pick(tables.codings, tables.transcripts, tables.consent, codes=codes_against, n=1, lang=lang,
                   strongest=True) if codes_against else None
    pieces = []
    if codes_for:
        taken = set(against["quote"].to_list()) if against is not None else set()
        found = pick(tables.codings, tables.transcripts, tables.consent, codes=codes_for, n=2 + len(taken),
                     lang=lang, strongest=True)
        found = found.filter(~found["quote"].is_in(sorted(taken))).head(2)
        pieces.append(_label_piece(WORDS["for"](lang)))
        pieces += [quote_piece(r["quote"], who=r["who"]) for r in found.iter_rows(named=True)] or \
            [note_piece(WORDS["no_quote"](lang))]
    pieces.append(_label_piece(WORDS["against"](lang)))
    if against is None:
        pieces.append(note_piece(WORDS["no_against_code"](lang)))
    else:
        pieces += [quote_piece(r["quote"], who=r["who"]) for r in against.iter_rows(named=True)] or \
            [note_piece(WORDS["no_quote"](lang))]
    return pieces


def _label_piece(text: str):
    return _piece("prose", f'<p class="impact-piece impact-prose" data-impact="prose"><strong>{esc(text)}</strong></p>',
                  {"text": text})


def _published_step_memos(tables) -> dict[str, list[dict]]:
    """The memos about a step that are marked for publication (``publish: ja``), per step, by date."""
    import polars as pl

    memos = tables.raw_table("memos")
    if memos.height == 0:
        return {}
    chosen = memos.filter(pl.col("publish").fill_null(False) & (pl.col("about_kind") == "step")).sort("date", "memo")
    out: dict[str, list[dict]] = {}
    for row in chosen.iter_rows(named=True):
        out.setdefault(row["about"], []).append(row)
    return out


def _memo_piece(memo: dict, lang: str):
    date = memo["date"].isoformat() if memo.get("date") else ""
    title = f" · {memo['title']}" if memo.get("title") else ""
    paragraphs = "".join(f"<p>{esc(p)}</p>" for p in (memo.get("text") or "").split("\n\n") if p.strip())
    html = (f'<aside class="impact-piece impact-prose" data-impact="memo"><p><strong>{esc(WORDS["memo"](lang))}'
            f"</strong> ({esc(date)}{esc(title)})</p>{paragraphs}</aside>")
    return _piece("memo", html, {"text": memo.get("text") or ""})
