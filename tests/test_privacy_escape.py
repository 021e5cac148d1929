"""Free text is always text: escaping for HTML."""

from __future__ import annotations

from html.parser import HTMLParser

from impact.privacy import escape_html


def test_script_line_shows_as_text():
    line = "<script>alert(1)</script>"
    out = escape_html(line)
    assert out == "&lt;script&gt;alert(1)&lt;/script&gt;"

    class Tags(HTMLParser):
        tags: list = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

        def handle_data(self, data):
            self.text = data

    p = Tags()
    p.feed(f"<p>{out}</p>")
    assert p.tags == ["p"] and p.text == line


def test_attribute_breakout_is_escaped():
    assert escape_html('" onmouseover="x') == "&quot; onmouseover=&quot;x"
    assert escape_html("Tom & Jerry's") == "Tom &amp; Jerry&#x27;s"


def test_none_and_numbers():
    assert escape_html(None) == ""
    assert escape_html(3) == "3"


# ---- one escaping function for every HTML writer --------------------------------------

import re  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from impact.privacy.escape import escape_url  # noqa: E402

WRITERS = ["report/show.py", "report/html.py", "report/infographic.py", "widget.py", "membercheck/__init__.py",
           "questionnaires/printing.py"]


@pytest.mark.parametrize("writer", WRITERS)
def test_every_html_writer_uses_the_shared_function(writer):
    source = (Path(__file__).resolve().parents[1] / "impact" / writer).read_text(encoding="utf-8")
    assert "impact.privacy.escape import escape_html" in source
    assert not re.search(r"\bhtml\.escape\(|from html import escape|def _?esc(ape)?\(", source)


def test_an_event_handler_stays_inside_its_attribute():
    value = 'x" onerror="alert(1)'
    page = f'<img alt="{escape_html(value)}" src="a.png">'

    class Attrs(HTMLParser):
        found: list = []

        def handle_starttag(self, tag, attrs):
            self.found.append(attrs)

    p = Attrs()
    p.feed(page)
    assert p.found == [[("alt", value), ("src", "a.png")]]


def test_zero_is_shown_and_none_is_empty():
    assert escape_html(0) == "0" and escape_html(0.0) == "0.0" and escape_html(None) == ""
    from impact.widget import _escape

    assert _escape(0) == "0"


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
                                 "java\nscript:alert(1)", "\x01javascript:alert(1)", "vbscript:msgbox(1)",
                                 "data:text/html;base64,PHNjcmlwdD4=", "JAVASCRIPT&colon;alert(1)".replace(
                                     "&colon;", ":")])
def test_a_link_that_could_run_code_is_neutralised(url):
    assert escape_url(url) == "#"


@pytest.mark.parametrize("url,out", [
    ("verslag-2023.html", "verslag-2023.html"), ("#samenvatting", "#samenvatting"),
    ("https://example.org/a?x=1&y=2", "https://example.org/a?x=1&amp;y=2"), ("mailto:a@b.nl", "mailto:a@b.nl"),
    ("data:image/png;base64,iVBORw0KGgo=", "data:image/png;base64,iVBORw0KGgo="),
    ('a.html" onclick="x', "a.html&quot; onclick=&quot;x"), ("&#106;avascript:alert(1)", "&amp;#106;avascript:alert(1)"),
])
def test_safe_links_stay_and_are_escaped(url, out):
    assert escape_url(url) == out


def test_report_pieces_and_index_links():
    from impact.report.html import index_html
    from impact.report.show import figures_piece, quote_piece

    piece = quote_piece("<script>alert(1)</script>", who='Bewoner" onerror="x')
    assert "<script>" not in piece.html and "&lt;script&gt;" in piece.html
    assert 'onerror="x' not in piece.html
    assert ">0<" in figures_piece({"Nul deelnemers": 0}).html
    page = index_html(lang="nl", study="<b>Studie</b>", footer="",
                      sections=[("nl", "Nederlands", [("javascript:alert(1)", "Rapport")],
                                 [("infographic-a4.svg", "A4 <svg>")])])
    assert 'href="#"' in page and "javascript:" not in page
    assert "&lt;b&gt;Studie&lt;/b&gt;" in page and "A4 &lt;svg&gt;" in page
