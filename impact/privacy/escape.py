"""Escaping for HTML: quotes, stories, answers and labels are text, never markup.

The one escaping function of every HTML writer (reports, index, infographic,
widget, member check, printed questionnaires). Only the standard library, so
any module can import it without slowing the CLI.

Example:
    >>> escape_html("<script>alert(1)</script> & 'zo'")
    '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x27;zo&#x27;'
    >>> escape_html(None), escape_html(0)
    ('', '0')
    >>> escape_url("javascript:alert(1)"), escape_url("verslag.html#deel-2")
    ('#', 'verslag.html#deel-2')
"""

from __future__ import annotations

import html
import re


def escape_html(text: object) -> str:
    """``text`` safe to put between HTML tags or in a quoted attribute.

    ``None`` is empty; anything else is shown as ``str(text)``, so ``0`` stays ``0``.
    """
    if text is None:
        return ""
    return html.escape(str(text), quote=True)


# schemes a link in a report may use; data: only for pictures (inline logos, figures)
_SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|jpg|gif|webp|svg\+xml)[;,]", re.I)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)
# browsers skip these inside a scheme: "java\tscript:" is "javascript:"
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")


def escape_url(url: object) -> str:
    """``url`` safe for a quoted ``href`` or ``src``: escaped, and neutralised to ``#`` when
    its scheme could run code (``javascript:``, ``vbscript:``, a ``data:`` page).

    Relative links, ``#anchors``, ``http(s):``, ``mailto:``, ``tel:`` and ``data:`` pictures
    stay. Example:

        >>> escape_url(" JaVa\\tScRiPt:alert(1)"), escape_url("data:text/html,<b>x</b>")
        ('#', '#')
        >>> escape_url("https://example.org/?a=1&b=2")
        'https://example.org/?a=1&amp;b=2'
    """
    if url is None:
        return ""
    text = str(url).strip()
    plain = _IGNORED.sub("", text)
    m = _SCHEME.match(plain)
    if m and m.group(1).lower() not in _SAFE_SCHEMES and not _DATA_IMAGE.match(plain):
        return "#"
    return escape_html(text)
