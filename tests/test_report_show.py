"""Report pieces (impact.show): escaped HTML, alt text, person-count cells."""

from __future__ import annotations

import re

import pytest

from impact.report import show
from impact.report.html import remote_references


def _bar():
    import altair as alt
    import pandas as pd

    return alt.Chart(pd.DataFrame({"wijk": ["West", "Oost"], "n": [7, 3]})).mark_bar().encode(x="wijk", y="n")


def test_chart_is_inline_svg_with_alt_text_and_no_outside_references():
    piece = show.chart_piece(_bar(), title="Bereik", takeaway="West bereikt meer mensen.",
                             description="Staafdiagram: West 7, Oost 3 <bewoners>.")
    assert piece.kind == "chart"
    assert "<h3>Bereik</h3>" in piece.html
    assert '<p class="takeaway">West bereikt meer mensen.</p>' in piece.html
    svg = re.search(r"<svg\b[^>]*>", piece.html).group(0)
    assert 'role="img"' in svg and "aria-labelledby" in svg
    ids = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    desc_id = ids[1]
    assert f'<desc id="{desc_id}">Staafdiagram: West 7, Oost 3 &lt;bewoners&gt;.</desc>' in piece.html
    assert "<script" not in piece.html
    assert "xmlns" not in piece.html  # inline SVG needs no namespace names
    assert remote_references(piece.html) == []


def test_two_charts_never_share_element_ids():
    a = show.chart_piece(_bar(), title="A", takeaway="a", description="a")
    b = show.chart_piece(_bar(), title="B", takeaway="b", description="b")
    ids_a = set(re.findall(r'\bid="([^"]+)"', a.html))
    ids_b = set(re.findall(r'\bid="([^"]+)"', b.html))
    assert ids_a and ids_b and not ids_a & ids_b
    # every url(#...) reference points at an id of the same chart
    for piece, ids in ((a, ids_a), (b, ids_b)):
        for ref in re.findall(r"url\(#([^)]+)\)", piece.html):
            assert ref in ids


def test_chart_spec_uses_colour_blind_safe_defaults_without_overriding():
    spec = show.chart_spec({"mark": "bar", "config": {"aria": True}})
    assert spec["config"]["aria"] is True
    assert show.chart_spec({"mark": "bar"})["config"]["aria"] is False


def test_table_escapes_and_marks_person_counts():
    import polars as pl

    df = pl.DataFrame({"wijk": ["<West>", "Oost"], "bewoners": [12, 40]})
    piece = show.table_piece(df, caption="Bewoners per wijk", count_columns=["bewoners"], k=5)
    assert "<caption>Bewoners per wijk</caption>" in piece.html
    assert "<td>&lt;West&gt;</td>" in piece.html
    assert piece.html.count('data-count="persons"') == 2
    assert '<th scope="col">bewoners</th>' in piece.html


def test_table_from_pandas_shows_missing_values_as_dash():
    import pandas as pd

    piece = show.table_piece(pd.DataFrame({"a": ["x", None], "b": [1.5, float("nan")]}), caption="c")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", piece.html)
    assert cells == ["x", "1,5", "–", "–"]  # Dutch decimal comma


def test_figures_format_numbers_in_dutch_and_english():
    from impact.rendering import use

    before = use(lang="nl").lang
    piece = show.figures_piece({"Bewoners bereikt": 10234, "Wijk": "West"}, title="Kerncijfers")
    assert "<dt>Bewoners bereikt</dt><dd>10.234</dd>" in piece.html
    assert "<h2>Kerncijfers</h2>" in piece.html
    use(lang="en")
    assert "<dd>10,234</dd>" in show.figures_piece({"Residents": 10234}).html
    use(lang=before)


def test_quote_is_always_escaped():
    piece = show.quote_piece('<script>alert("x")</script> Ik kom elke week.', who="bewoner & vrijwilliger")
    assert "<script>" not in piece.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Ik kom elke week." in piece.html
    assert "— bewoner &amp; vrijwilliger" in piece.html


def test_display_bundle_carries_impact_metadata():
    data, meta = show.note_piece("Bron: deelnamelijsten.").bundle()
    assert data["text/html"] == ('<p class="impact-piece impact-note" data-impact="note">'
                                 "Bron: deelnamelijsten.</p>")
    assert meta == {"impact": {"kind": "note"}}
    assert show.heading_piece("Bereik", level=9).html == "<h6>Bereik</h6>"


def test_quotes_shows_one_piece_per_row(monkeypatch):
    import polars as pl

    shown = []
    monkeypatch.setattr(show, "_show", shown.append)
    show.quotes(pl.DataFrame({"tekst": ["Een", "Twee"], "wie": ["bewoner", "vrijwilliger"]}), "tekst", "wie")
    assert [p.kind for p in shown] == ["quote", "quote"]
    assert "— vrijwilliger" in shown[1].html


@pytest.mark.parametrize("value, lang, text", [(1234567, "nl", "1.234.567"), (2.25, "en", "2.2"),
                                               (True, "nl", "True"), (0.5, "nl", "0,5")])
def test_number_format(value, lang, text):
    assert show._number(value, lang) == text
