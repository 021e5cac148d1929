"""The shared codebook (``data/raw/codebook.yaml``): hierarchical codes with aliases.

Each code has a name, a ``label`` readers see (``label_en`` in English;
without one, reports show the name with spaces), an optional parent, a definition, when to use and
when not to use it, an example, its origin (``rq1``/``rq2``/``rq3`` for
deductive codes from a research question, ``inductive`` for codes that came
from the conversations), who proposed it and when. A renamed or merged code
keeps its old names as ``aliases``, so old codings still resolve. ``tags``
put codes in groups across the tree (ATLAS.ti code groups, REFI-QDA sets,
or a mark such as ``contradicts``).

Example:
    >>> book, problems = parse_codebook('''
    ... codes:
    ...   - code: ontwikkeling
    ...     origin: rq1
    ...   - code: motivatie
    ...     parent: ontwikkeling
    ...     aliases: [drive]
    ... ''')
    >>> book.select("code", "parent").rows(), problems
    ([('motivatie', 'ontwikkeling'), ('ontwikkeling', None)], [])
    >>> code_lookup(book)["drive"]
    'motivatie'
"""

from __future__ import annotations

import datetime as dt
import re

from impact.errors import Problem, Text
from impact.registers import CODEBOOK_COLUMNS, table_schema

FIELDS = ("code", "label", "label_en", "parent", "definition", "when_to_use", "when_not_to_use", "example", "origin",
          "proposed_by", "date_added", "aliases", "tags")
ORIGINS = {"rq1": "rq1", "rq2": "rq2", "rq3": "rq3", "inductive": "inductive", "inductief": "inductive",
           "vraag1": "rq1", "vraag2": "rq2", "vraag3": "rq3", "onderzoeksvraag1": "rq1",
           "onderzoeksvraag2": "rq2", "onderzoeksvraag3": "rq3"}
_CODE_NAME = re.compile(r"^[^\s\[\]{}#+]+$")

CODEBOOK_SCHEMA = CODEBOOK_COLUMNS  # the processed codebook's columns (declared in impact.registers)


def _schema():
    return table_schema("codebook")


def empty_codebook():
    import polars as pl

    return pl.DataFrame(schema=_schema())


def _loader():
    """A safe YAML loader that remembers the line of every mapping (``__line__``)."""
    import yaml

    class LineLoader(yaml.SafeLoader):
        pass

    def construct_mapping(loader, node, deep=False):
        mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return LineLoader


def valid_code_name(name: str) -> bool:
    """A code name can be written in the markup: no spaces, brackets, braces, # or +."""
    return bool(_CODE_NAME.match(name))


def tag_to_code(tag: str) -> str:
    """Another tool's tag or code name as a code name: lower case, no spaces or markup characters.

    Example:
        >>> tag_to_code(" Eigen Kracht [x]")
        'eigen_kracht_x'
    """
    return re.sub(r"[\s\[\]{}#+]+", "_", str(tag).strip().lower()).strip("_")


def _word_list(value) -> list[str]:
    """A YAML list or a text with commas as a list of trimmed words (empty ones left out)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    out = []
    for item in items:
        word = str(item).strip()
        if word and word not in out:
            out.append(word)
    return out


def parse_codebook(source: str, file: str = "codebook.yaml") -> tuple:
    """Parse and check a YAML codebook; returns (table, problems)."""
    import polars as pl
    import yaml

    from impact.tabular import parse_date

    try:
        data = yaml.load(source, Loader=_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return empty_codebook(), [Problem(file, mark.line + 1 if mark else None, None, getattr(exc, "problem", None),
                                          Text("geldige YAML (let op inspringen en dubbele punten)"),
                                          unit="line", position=mark.column + 1 if mark else None)]
    entries = data.get("codes") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        return empty_codebook(), [Problem(file, 1, "codes", None, Text("een lijst 'codes:' met per code '- "
                                                                       "code: naam'"),
            unit="line")]
    problems: list[Problem] = []
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            problems.append(Problem(file, None, "codes", str(entry)[:60], Text("een code als '- code: naam' "
                                                                               "met velden eronder"),
                unit="line"))
            continue
        line = entry.pop("__line__", None)
        name = str(entry.get("code") or "").strip().lower()
        if not name or not valid_code_name(name):
            problems.append(Problem(file, line, "code", entry.get("code"), Text("een codenaam zonder "
                                                                                "spaties, haken, # of + "
                                                                                "(bijvoorbeeld motivatie of "
                                                                                "eigen_kracht)"),
                unit="line"))
            continue
        if name in seen:
            problems.append(Problem(file, line, "code", name, Text("een unieke codenaam; regel {value} heeft "
                                                                   "dezelfde naam",
                                                                   value=seen[name]), unit="line"))
            continue
        seen[name] = line
        unknown = sorted(set(entry) - set(FIELDS))
        for key in unknown:
            problems.append(Problem(file, line, str(key), entry[key], Text("een van de velden {fields}",
                                                                           fields=', '.join(FIELDS)),
                severity="warning", unit="line"))
        row = {k: (None if entry.get(k) in (None, "") else str(entry.get(k)).strip())
               for k in FIELDS if k not in ("code", "date_added", "aliases", "tags")}
        row["code"] = name
        if row["parent"]:
            row["parent"] = row["parent"].lower()
        if row["origin"]:
            origin = ORIGINS.get(re.sub(r"[\s_-]", "", row["origin"].lower()))
            if origin is None:
                problems.append(Problem(file, line, "origin", row["origin"], Text("rq1, rq2, rq3 (uit een "
                                                                                  "onderzoeksvraag) of "
                                                                                  "inductive (uit de "
                                                                                  "gesprekken)"),
                    severity="warning", unit="line"))
            row["origin"] = origin
        added = entry.get("date_added")
        if isinstance(added, dt.datetime):
            added = added.date()
        if added not in (None, "") and not isinstance(added, dt.date):
            try:
                added = parse_date(str(added))
            except ValueError:
                from impact.tabular import EXPECT_DATE

                problems.append(Problem(file, line, "date_added", added, EXPECT_DATE, severity="warning",
                                        unit="line"))
                added = None
        row["date_added"] = added or None
        aliases = entry.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [a for a in re.split(r"[,;\s]+", aliases) if a]
        row["aliases"] = [str(a).strip().lower() for a in aliases]
        row["tags"] = _word_list(entry.get("tags"))
        row["_line"] = line
        rows.append(row)
    codes = {r["code"] for r in rows}
    # an alias may not be a current code name or belong to two codes
    owner: dict[str, str] = {}
    for r in rows:
        keep = []
        for a in r["aliases"]:
            if a in codes or (a in owner and owner[a] != r["code"]):
                problems.append(Problem(file, r["_line"], "aliases", a, Text("een oude naam die geen andere "
                                                                             "code of alias is"), unit="line"))
                continue
            owner[a] = r["code"]
            if a not in keep:
                keep.append(a)
        r["aliases"] = keep
    parents = {r["code"]: r["parent"] for r in rows}
    for r in rows:
        if r["parent"] and r["parent"] not in codes:
            problems.append(Problem(file, r["_line"], "parent", r["parent"], Text("een code uit dit codeboek "
                                                                                  "(of leeg)"),
                severity="warning", unit="line"))
            r["parent"] = parents[r["code"]] = None
    for r in rows:  # cycles: a code cannot be its own ancestor
        seen_chain, p = {r["code"]}, r["parent"]
        while p:
            if p in seen_chain:
                problems.append(Problem(file, r["_line"], "parent", r["parent"], Text("een bovenliggende "
                                                                                      "code die niet weer "
                                                                                      "onder deze code valt"), severity="warning", unit="line"))
                r["parent"] = parents[r["code"]] = None
                break
            seen_chain.add(p)
            p = parents.get(p)
    if not rows:
        return empty_codebook(), problems
    table = pl.DataFrame([{k: r[k] for k in CODEBOOK_SCHEMA} for r in rows], schema=_schema()).sort("code")
    return table, problems


def load_codebook(study) -> tuple:
    """Read ``data/raw/codebook.yaml`` (or ``.yml``) of ``study``; returns (table, problems)."""
    for name in ("codebook.yaml", "codebook.yml"):
        path = study.raw / name
        if path.is_file():
            from impact.tabular import decode_bytes

            text, _ = decode_bytes(path.read_bytes())
            return parse_codebook(text, study.rel(path))
    return empty_codebook(), []


def code_lookup(codebook) -> dict[str, str]:
    """Every current name and alias (lower case) -> the current code name."""
    out: dict[str, str] = {}
    if codebook is None or codebook.height == 0:
        return out
    aliases = codebook["aliases"].to_list() if "aliases" in codebook.columns else [None] * codebook.height
    for code, alias_list in zip(codebook["code"].to_list(), aliases):
        for a in (alias_list if alias_list is not None else []):
            out.setdefault(str(a).lower(), code)
    for code in codebook["code"].to_list():
        out[str(code).lower()] = code
    return out
