"""Escaping free text for HTML: quotes, stories and answers are text, never markup.

Example:
    >>> escape_html("<script>alert(1)</script> & 'zo'")
    '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x27;zo&#x27;'
    >>> escape_html(None)
    ''
"""

from __future__ import annotations

import html


def escape_html(text: object) -> str:
    """``text`` safe to put between HTML tags or in a quoted attribute (``None`` is empty)."""
    if text is None:
        return ""
    return html.escape(str(text), quote=True)
