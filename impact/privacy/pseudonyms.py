"""Keyed pseudonyms: HMAC-SHA256 of the study's person code.

Never a plain hash of a name: without the key nobody can recompute or
check a pseudonym. The key lives outside the repository and outside
``data/``: in ``$IMPACT_KEY`` or in the user's config folder
(``impact.privacy.keys``). The demo study uses a fixed, public key
(``DEMO_KEY``) and says so in its ``impact.toml``.

Example:
    >>> pseudonym("BB03", DEMO_KEY)
    'p_2a5fd7013c79218a'
"""

from __future__ import annotations

import hashlib
import hmac

DEMO_KEY = b"impact-demo-key: PUBLIC, only for the synthetic demo study"


def pseudonym(person_id: str, key: bytes) -> str:
    """The pseudonym of ``person_id`` under ``key``: ``p_`` + 16 hex digits."""
    digest = hmac.new(key, person_id.strip().encode("utf-8"), hashlib.sha256).hexdigest()
    return "p_" + digest[:16]


def load_key(study) -> bytes:
    """The HMAC key for ``study``: the public demo key only when the study asks for it,
    else ``$IMPACT_KEY`` or the study's key file (made on first use, see ``ensure_key``)."""
    if study.config.privacy.demo_key:
        return DEMO_KEY
    from impact.privacy.keys import ensure_key

    return ensure_key(study)
