"""Report page structure: heading order, contents, footer, outside references."""

from __future__ import annotations

from impact.report.html import finish_page, footer_html, index_html, remote_references, slug, toc_html


def test_headings_start_at_one_h1_and_never_skip_a_level():
    page = ('<!--impact:toc--><main id="inhoud"><h2>Intro</h2><h4>Diep</h4><h1>Nog een titel</h1>'
            '<h3 class="x" id="old">Bereik &amp; werk</h3><h2>Intro</h2></main>')
    out = finish_page(page, title="Rapport", lang="nl")
    # the page had no h1 first: the title is added; later headings follow in order
    assert '<h1 id="rapport">Rapport</h1>' in out
    assert '<h2 id="intro">Intro</h2>' in out
    assert '<h3 id="diep">Diep</h3>' in out            # h4 after h2 becomes h3
    assert '<h2 id="nog-een-titel">Nog een titel</h2>' in out  # only one h1
    assert '<h3 id="bereik-werk" class="x">Bereik &amp; werk</h3>' in out
    assert '<h2 id="intro-2">Intro</h2>' in out        # ids stay unique
    assert out.count("<h1") == 1
    assert '<nav class="toc"' in out and '<a href="#bereik-werk">Bereik &amp; werk</a>' in out
    assert out.index("</h1>") < out.index('<nav class="toc"') < out.index('<h2 id="intro">')
    assert "<!--impact:toc-->" not in out


def test_toc_nests_h3_under_h2_and_is_left_out_for_short_pages():
    assert toc_html([(2, "a", "A")], "nl") == ""
    toc = toc_html([(2, "a", "A"), (3, "b", "B"), (2, "c", "C")], "en")
    assert toc == ('<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">Contents</h2><ol>'
                   '<li><a href="#a">A</a><ol><li><a href="#b">B</a></li></ol></li>'
                   '<li><a href="#c">C</a></li></ol></nav>')


def test_slug_is_ascii():
    assert slug("Één stap vooruit!") == "een-stap-vooruit"
    assert slug("???") == "deel"


def test_footer_credits_names_or_counts_and_escapes():
    names = footer_html(lang="nl", version="0.1.0", date="2024-01-31", data_hash="ab" * 32,
                        credits=["Fatima <B.>", "Henk"])
    assert "<p>Gemaakt met impact 0.1.0 op 2024-01-31.</p>" in names
    assert "<p>Gegevens: versie abababababab.</p>" in names
    assert "medeonderzoekers: Fatima &lt;B.&gt;, Henk." in names
    counted = footer_html(lang="en", version="0.1.0", date="2024-01-31", data_hash="0" * 64, credits=3)
    assert "Thanks to 3 co-researchers from the neighbourhood." in counted
    # the figure: a count of persons for the guard, and no number at all when it is hidden
    from impact.figures import Value, get

    named = get("coresearchers_named")
    shown = footer_html(lang="nl", version="0.1.0", date="2024-01-31", data_hash="0" * 64, credits=Value(named, 12))
    assert 'Met dank aan <data class="impact-figure" value="12"' in shown and 'data-count="persons"' in shown
    hidden = footer_html(lang="nl", version="0.1.0", date="2024-01-31", data_hash="0" * 64,
                         credits=Value(named, None, 5, hidden=True, small=True))
    assert "Met dank aan de medeonderzoekers uit de buurt." in hidden and "data-count" not in hidden


def test_remote_references_finds_src_href_url_and_import_but_not_namespaces():
    page = """<svg xmlns="http://www.w3.org/2000/svg"><image href="https://x.nl/a.png"/></svg>
    <link rel="stylesheet" href="//cdn.example/s.css"><script src="vega.js"></script>
    <style>@import url("https://fonts.example/f.css"); .a{background:url(http://x/y.png)}
    .b{clip-path:url(#c1)}</style><a href="index.html">i</a><a href="#top">t</a>
    <img src="data:image/png;base64,AAAA" alt="">"""
    found = remote_references(page)
    assert "https://x.nl/a.png" in found
    assert "//cdn.example/s.css" in found
    assert "https://fonts.example/f.css" in found
    assert "http://x/y.png" in found
    assert "vega.js" in found and "<script src>" in found
    assert "http://www.w3.org/2000/svg" not in found
    assert not any(f in found for f in ("#c1", "index.html", "#top"))


def test_index_links_reports_and_infographic_per_language():
    page = index_html(lang="en", study="Toets", footer="<p>f</p>", sections=[
        ("en", "English", [("en/01_bereik.html", "Bereik <1>")], [("en/infographic-a4.pdf", "A4 (PDF)")]),
        ("nl", "Nederlands", [("nl/01_bereik.html", "Bereik")], [])])
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert '<li><a href="en/01_bereik.html">Bereik &lt;1&gt;</a></li>' in page
    assert '<li><a href="en/infographic-a4.pdf">A4 (PDF)</a></li>' in page
    assert '<section lang="nl" aria-labelledby="taal-nl">\n<h2 id="taal-nl">Nederlands</h2>\n<h3>Rapporten</h3>' in page
    assert page.index('id="taal-en"') < page.index('id="taal-nl"')
    assert remote_references(page) == []
