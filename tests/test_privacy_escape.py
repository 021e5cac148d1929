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
