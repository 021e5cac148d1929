"""Keyed pseudonyms: HMAC-SHA256 of the study's person code.

Never a plain hash of a name: without the key nobody can recompute or
check a pseudonym. The key lives outside the repository and outside
``data/``: in ``$IMPACT_KEY`` or in the user's config folder. The demo study
uses a fixed, public key (``DEMO_KEY``) and says so in its ``impact.toml``.

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
    """The HMAC key for ``study`` (demo key only when the study asks for it)."""
    import os

    if study.config.privacy.demo_key:
        return DEMO_KEY
    env = os.environ.get("IMPACT_KEY")
    if env:
        return env.encode("utf-8")
    from impact.errors import StudyError, Text

    raise StudyError(Text(
        "Geen sleutel voor pseudoniemen gevonden. Zet IMPACT_KEY of maak er een met 'impact init'.",
        "No pseudonym key found. Set IMPACT_KEY or create one with 'impact init'.",
    ))
