"""Privacy by default: pseudonyms, consent, redaction, small cells, publish guard."""

from impact.privacy.pseudonyms import DEMO_KEY, load_key, pseudonym

__all__ = ["DEMO_KEY", "load_key", "pseudonym"]
