"""The coders' memos (``data/raw/memos``): after an interview, about a code, a coding, the study, a step.

Three are marked for publication; the others stay inside the team.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from impact import demo_text as tx
from impact.demo.basics import CODERS
from impact.demo.interviews import Interview


def write_memos(raw: Path, interviews: list[Interview]) -> None:
    """A few memos of the coders (``data/raw/memos``): after an interview, about a code, about a coding,
    about the study, about a step of the theory of change. Three are marked for publication; the others
    stay inside the team."""
    from impact.coding.codings import codings_from_markup
    from impact.coding.memos import format_memo

    first, second = interviews[0], interviews[1]
    coded = (raw / "codings" / CODERS[0] / f"{second.doc}.md").read_text(encoding="utf-8")
    rows, _ = codings_from_markup(coded, second.doc, CODERS[0], {second.doc: second.text}, None)
    coding = min(rows, key=lambda r: (r["start"], r["end"], r["code"]))
    code = next(c["code"] for c in tx.CODEBOOK if c.get("parent"))
    memos = [
        ("na-interview-" + first.doc.lower(), CODERS[0], first.date + dt.timedelta(days=1),
         f"document:{first.doc}", False, "Na het gesprek",
         "Na dit gesprek twijfelde ik of we de vraag over werk te vroeg stelden.\n\n"
         "Volgende keer eerst vragen naar de buurt, dan naar werk."),
        ("code-" + code, CODERS[1], first.date + dt.timedelta(days=20), f"code:{code}", True,
         "Afspraak uit het overleg",
         "In het overleg spraken we af deze code alleen te geven als iemand zelf over die stap vertelt. "
         "Een stap die een ander ziet, telt niet mee."),
        ("codering-" + second.doc.lower(), CODERS[0], second.date + dt.timedelta(days=2),
         f"coding:{second.doc}:{coding['start']}-{coding['end']}:{coding['code']}", False, None,
         "Ik was hier niet zeker van de code; mijn collega koos misschien anders. Bespreken in het overleg."),
        ("werkwijze-coderen", CODERS[1], second.date + dt.timedelta(days=30), "study", True,
         "Zo codeerden we",
         "Een onderzoeker en een sleutelpersoon codeerden elk interview apart. "
         "Waar we verschilden, bespraken we het samen."),
        ("stap-ladder", CODERS[0], second.date + dt.timedelta(days=45), "step:ladder", True,
         "Na het overleg over de ladder",
         "Veel buurtbaners vertellen dat ze meer zelfvertrouwen kregen. Wie schulden heeft, komt "
         "moeilijker vooruit op de ladder. Dat volgen we in de volgende meting beter."),
    ]
    folder = raw / "memos"
    folder.mkdir(parents=True, exist_ok=True)
    for memo, author, date, about, publish, title, text in memos:
        from impact.coding.memos import parse_about

        rec = {"memo": memo, "author": author, "date": date, "publish": publish, "title": title, "text": text,
               **parse_about(about)}
        body = format_memo(rec).replace("---\n", f"---\n# synthetic: true — {tx.SYNTHETIC_NL}\n", 1)
        (folder / f"{memo}.md").write_bytes(body.encode("utf-8"))
