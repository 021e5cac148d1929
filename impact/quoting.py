"""Quotes for reports, the findings page and the infographic: one picker, one set of rules.

A quote is the (already redacted) text of a coded passage or of a Most
Significant Change story. It may be shown only when

* the source may be used: ``consent`` is true in ``transcripts`` (the
  interview, or the respondent's consent to the questionnaire);
* with the ``consent`` table: the speaker agreed to quotes and did not
  withdraw;
* the passage still has its text (a member check can withdraw it:
  ``quotable`` false, ``text`` empty).

Who said it is a role ("bewoner", "medewerker, buurtteam"), never a name.
The same passage coded by two coders, or the same words twice, appear once;
the order is stable (document, then position), so a report shows the same
quotes on every build.

Example:
    >>> import polars as pl
    >>> codings = pl.DataFrame({"document": ["I1", "I1"], "start": [0, 0], "end": [5, 5],
    ...     "code": ["erkenning"] * 2, "coder": ["p_a", "p_b"], "text": ["Ik tel mee.", "Ik tel mee."]})
    >>> transcripts = pl.DataFrame({"document": ["I1"], "actor_type": ["informal"], "role": ["resident"],
    ...     "consent": [True]})
    >>> pick(codings, transcripts, codes="erkenning").select("quote", "who").rows()
    [('Ik tel mee.', 'bewoner')]
"""

from __future__ import annotations

import re

from impact.errors import Text
from impact.vocabulary import ACTOR_TYPES, ROLES, singular

SCHEMA = {"code": "Utf8", "actor_type": "Utf8", "document": "Utf8", "quote": "Utf8", "who": "Utf8"}


def _schema():
    import polars as pl

    return {k: getattr(pl, v) for k, v in SCHEMA.items()}


def _agreed(consent):
    """Persons who agreed to quotes and did not withdraw (a polars Series)."""
    import polars as pl

    ok = pl.col("quotes").fill_null(False)
    if "withdrawn_on" in consent.columns:
        ok = ok & pl.col("withdrawn_on").is_null()
    return consent.filter(ok)["person"]


def allowed_documents(transcripts, consent=None, source_kind: str | None = "interview"):
    """The documents whose words may be quoted (see the module text)."""
    import polars as pl

    t = transcripts
    if source_kind is not None and "source_kind" in t.columns:
        t = t.filter(pl.col("source_kind").fill_null("interview") == source_kind)
    elif source_kind == "answer":
        return t.clear()
    if "consent" in t.columns:
        t = t.filter(pl.col("consent").fill_null(False))
    if consent is not None and "interviewee" in t.columns:
        t = t.filter(pl.col("interviewee").is_in(_agreed(consent).implode()))
    return t


def cut(text: str, max_chars: int) -> str:
    """``text`` stripped, cut at ``max_chars`` with an ellipsis when longer."""
    text = (text or "").strip()
    return text if len(text) <= max_chars else text[:max_chars - 1] + "…"


def who(row: dict, lang: str = "nl") -> str:
    """Who said it, as a role: "bewoner", "medewerker, buurtteam", "bewoner, meting 2"; never a name."""
    role, kind = row.get("role"), row.get("organisation_kind")
    if role == "formal_actor" and kind:
        text = Text("medewerker, {kind}", kind=kind)(lang)
    elif role in ROLES:
        text = singular(ROLES, role, lang)
        if kind and kind.lower() not in (text.lower(), role):
            text += f", {kind}"
    elif row.get("actor_type") in ACTOR_TYPES:
        text = singular(ACTOR_TYPES, row["actor_type"], lang)
        if kind:
            text += f", {kind}"
    else:
        text = Text("iemand uit het onderzoek")(lang)
    if row.get("source_kind") == "answer" and row.get("wave") is not None:
        text += Text(", meting {wave}", wave=row['wave'])(lang)
    return text


def pick(codings, transcripts, consent=None, *, codes=None, source_kind: str | None = "interview",
         per: str | None = None, n: int = 2, max_chars: int = 300, lang: str = "nl", strongest: bool = False):
    """Up to ``n`` quotes coded ``codes`` (one code, a list, or ``None`` for all), ``n`` per
    group of ``per`` (for example ``"actor_type"``) when given.

    ``source_kind``: ``interview``, ``answer`` (open questionnaire answers)
    or ``None`` for both. ``strongest``: the passages that the most coders
    coded alike (same place, same code) first, one per document. Returns
    ``code``, ``actor_type``, ``document``, ``quote`` and ``who``.
    """
    import polars as pl

    docs = allowed_documents(transcripts, consent, source_kind)
    if "text" not in codings.columns or docs.height == 0:
        return pl.DataFrame(schema=_schema())
    meta = [c for c in ("actor_type", "role", "organisation_kind", "source_kind", "wave") if c in docs.columns]
    found = codings.filter(pl.col("text").is_not_null() & (pl.col("text").str.strip_chars() != ""))
    if "quotable" in found.columns:
        found = found.filter(pl.col("quotable").fill_null(True))
    if codes is not None:
        found = found.filter(pl.col("code").is_in([codes] if isinstance(codes, str) else list(codes)))
    place = ["document", "start", "end", "code"]
    coders = (found.group_by(place).agg(pl.col("coder").n_unique().alias("_coders")) if "coder" in found.columns
              else found.select(place).unique().with_columns(pl.lit(1).alias("_coders")))
    found = (found.unique(subset=place, keep="first")
             .join(coders, on=place, how="left")
             .join(docs.select("document", *meta), on="document", how="inner")
             .sort(["document", "start", "code"])
             .unique(subset=["text"], keep="first", maintain_order=True))
    if strongest:
        found = (found.sort(["_coders", "document", "start", "code"], descending=[True, False, False, False])
                 .unique(subset=["document"], keep="first", maintain_order=True))
    if per is not None and per in found.columns:
        found = found.filter(pl.col(per).is_not_null()).sort([per, "document", "start"]).group_by(
            per, maintain_order=True).head(n)
    else:
        found = found.head(n)
    rows = []
    for row in found.iter_rows(named=True):
        rows.append({"code": row["code"], "actor_type": row.get("actor_type"), "document": row["document"],
                     "quote": cut(row["text"], max_chars), "who": who(row, lang)})
    return pl.DataFrame(rows, schema=_schema())


def stories(msc_stories, consent=None, people=None, *, n: int = 2, max_chars: int = 300,
            first_sentence: bool = False, lang: str = "nl"):
    """Up to ``n`` Most Significant Change stories the panel chose, as quotes.

    Only from storytellers who agreed to quotes (with ``consent``); ``who``
    is their role from ``people``. ``first_sentence``: only the story's first
    sentence (for the infographic). Returns ``quote``, ``who``.
    """
    import polars as pl

    schema = {"quote": pl.Utf8, "who": pl.Utf8}
    if msc_stories is None or msc_stories.height == 0:
        return pl.DataFrame(schema=schema)
    chosen = msc_stories.filter(pl.col("panel_choice").fill_null(False) & pl.col("story").is_not_null())
    if consent is not None:
        chosen = chosen.filter(pl.col("person").is_in(_agreed(consent).implode()))
    if people is not None:
        chosen = chosen.join(people.select("person", "role"), on="person", how="left")
    rows = []
    for row in chosen.sort("story_id").head(n).iter_rows(named=True):
        text = row["story"].strip()
        if first_sentence:
            text = re.split(r"(?<=[.!?])\s", text)[0]
        rows.append({"quote": cut(text, max_chars), "who": who({"role": row.get("role")}, lang)})
    return pl.DataFrame(rows, schema=schema)


def main_quotes(tables, n: int = 3, max_chars: int = 200, lang: str = "nl"):
    """The quotes a summary or the infographic shows: the panel's stories first, then interviews.

    Interview quotes come one per actor type (people from the
    neighbourhood, then organisations), coded with a code about the
    buurtbaan's value (origin ``rq3``) when the codebook has one.
    """
    import polars as pl

    out = stories(tables.msc_stories, tables.consent, tables.raw_table("people"), n=n, max_chars=max_chars,
                  first_sentence=True, lang=lang)
    if out.height < n:
        book = tables.codebook
        codes = book.filter(pl.col("origin") == "rq3")["code"].to_list() if "origin" in book.columns else []
        extra = pick(tables.codings, tables.transcripts, tables.consent, codes=codes or None, per="actor_type",
                     n=1, max_chars=max_chars, lang=lang)
        out = pl.concat([out, extra.select("quote", "who")]).unique(subset=["quote"], keep="first",
                                                                     maintain_order=True)
    return out.head(n)
