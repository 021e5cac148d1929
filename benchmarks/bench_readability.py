"""Flesch-Douma of every report page of the demo study, in BENCHMARKS.md (section "readability").

Run with ``.venv/bin/python benchmarks/bench_readability.py``: makes the demo in a temporary folder,
processes and builds it (Dutch), and measures each report page's own sentences with
``impact.report.readability`` (pyphen's nl_NL dictionary). Goal: 60 or more on every page (B1);
``tests/test_published_demo.py`` checks the same on every test run.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import REPO, machine, write_section  # noqa: E402


def measure_demo() -> list[tuple[str, object]]:
    import impact
    from impact.report.build import build_reports
    from impact.report.readability import measure, page_prose

    root = Path(tempfile.mkdtemp(prefix="impact-readability-")) / "studie"
    try:
        impact.make_demo(root)
        shutil.copytree(REPO / "notebooks", root / "notebooks", dirs_exist_ok=True)
        study = impact.Study.load(root)
        impact.process_study(study)
        build_reports(study, lang="nl", infographic=False).raise_for_failures()
        return [(p.name, measure(page_prose(p.read_text(encoding="utf-8"))))
                for p in sorted((root / "reports").glob("0*.html"))]
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)


def main() -> None:
    rows = measure_demo()
    lines = ["| page | Flesch-Douma | sentences | words | words per sentence | syllables per word |",
             "|---|---|---|---|---|---|"]
    for name, m in rows:
        lines.append(f"| {name} | {m.score:.1f} | {m.sentences} | {m.words} | {m.words / m.sentences:.1f} | "
                     f"{m.syllables / m.words:.2f} |")
    body = (f"## Readability of the reports (Flesch-Douma)\n\nMachine: {machine()}. The demo study's report "
            "pages in Dutch, built by `benchmarks/bench_readability.py`; each page's own sentences (takeaways, "
            "notes, paragraphs, chart descriptions, what the figures mean; not tables, chart labels, headings "
            "or quotes), syllables from pyphen's nl_NL dictionary. Flesch-Douma = 206.835 - 0.93 x words per "
            "sentence - 77 x syllables per word; goal: 60 or more (plain language, about B1).\n\n"
            + "\n".join(lines))
    write_section("readability", body)
    print(body)


if __name__ == "__main__":
    main()
