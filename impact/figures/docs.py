"""``docs/cijfers.md`` from the registry: every figure with its definition.

Write it again after changing a figure::

    python -m impact.figures.docs > docs/cijfers.md

A test checks that the file in the repository equals what this writes.
"""

from __future__ import annotations

from impact.errors import Text

_HEAD = Text("Cijfers: wat elk getal betekent")
_INTRO = Text("Elk getal in de rapporten en op de infographic komt uit één lijst: "
              "`impact/figures/definitions.py`. Hier staat per cijfer wat het telt, in welke eenheid, uit "
              "welke tabellen en hoe het de privacy beschermt. In een rapport ziet u dezelfde uitleg als u "
              "met de muis op een cijfer gaat staan, en onderaan de pagina bij \"Wat de cijfers "
              "betekenen\".\n\nPersonen en contacten tellen we nooit bij elkaar op: *keer aangebeld* telt "
              "keren, *bewoners bereikt* telt mensen.\n\nDit bestand is gemaakt met `python -m "
              "impact.figures.docs > docs/cijfers.md`. Verander het niet met de hand: verander de lijst en "
              "maak het bestand opnieuw.")
_SECTIONS = {None: Text("Hoe we het onderzochten")}


def figures_markdown(lang: str = "nl") -> str:
    """The page as Markdown (Dutch, with the English definition under each figure)."""
    from impact.data import TABLE_LABELS
    from impact.figures import PRIVACY_RULES, QUESTIONS, UNITS, catalogue

    words = {"meaning": Text("Betekenis"), "english": Text("In het Engels"),
             "unit": Text("Eenheid"), "tables": Text("Tabellen"),
             "privacy": Text("Privacy"), "per": Text("Eén waarde per"),
             "base": Text("Alleen getoond als dit cijfer minstens k is"),
             "question": Text("Onderzoeksvraag"),
             "part_of": Text("Een deel van"), "sum": Text("Samen"),
             "same": Text("Hetzelfde cijfer als")}
    other = "en" if lang == "nl" else "nl"
    lines = [f"# {_HEAD(lang)}", "", _INTRO(lang), ""]
    groups: dict = {}
    for f in catalogue():
        groups.setdefault(f.question, []).append(f)
    for question in [1, 2, 3, None]:
        if question not in groups:
            continue
        title = (f"{words['question'](lang)} {question}: {QUESTIONS[question](lang)}" if question
                 else _SECTIONS[None](lang))
        lines += [f"## {title}", ""]
        for f in groups[question]:
            tables = ", ".join(f"{TABLE_LABELS[t](lang)} (`{t}`)" if t in TABLE_LABELS else f"`{t}`" for t in f.tables)
            privacy = PRIVACY_RULES[f.privacy](lang)
            if f.base:
                privacy += f" {words['base'](lang)}: `{f.base}`."
            lines += [f"### {f.label(lang)} (`{f.name}`)", "",
                      f"- {words['meaning'](lang)}: {f.definition(lang)}",
                      f"- {words['english'](lang)}: {f.definition(other)}",
                      f"- {words['unit'](lang)}: {UNITS[f.unit](lang)} (`{f.unit}`)"]
            if f.by:
                lines.append(f"- {words['per'](lang)}: `{f.by}`")
            for field, word in (("part_of", "part_of"), ("total", "sum"), ("of", "same")):
                if getattr(f, field):
                    lines.append(f"- {words[word](lang)}: `{getattr(f, field)}`")
            lines += [f"- {words['tables'](lang)}: {tables}", f"- {words['privacy'](lang)}: {privacy}", ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    import sys

    sys.stdout.write(figures_markdown("nl"))
