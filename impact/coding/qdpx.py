"""REFI-QDA exchange (.qdpx projects, .qdc codebooks): ATLAS.ti, NVivo, MAXQDA, QualCoder.

``read_qdpx(path)`` reads a project (or a codebook) into a ``Corpus``;
``write_qdpx(corpus, path)`` writes a project that validates against the
REFI-QDA ``Project.xsd`` (QDA-XML 1.0).

What real exports do, and how it is read:

* each tool counts selection positions its own way (UTF-16 units or code
  points, CRLF as 1 or 2, a BOM or not): the rule comes from
  ``<Project origin>``, or, for an unknown tool, is the rule under which the
  selections fall on word boundaries (``impact.coding.positions``); the text
  becomes impact's text (LF, no BOM) and the positions impact's offsets;
  ``corpus.source`` says which rule was used and why;
* GUIDs with or without braces, in any case: compared without braces, lower case;
* ``sources/`` or ``Sources/``, ``plainTextPath`` with or without ``internal://``;
  text inside the XML (``PlainTextContent``) is used when present;
* notes and descriptions become memos (``corpus.memos``): a ``<Note>`` is
  about what holds its ``<NoteRef>`` (or an NVivo ``<Link>``); the
  ``<Description>`` of the project, a source or a selection is a memo about
  the study, the document or that passage (a code's description stays its
  definition);
* folder codes (``isCodable="false"``): kept in ``codes`` with ``codable`` False;
* code groups (``<Sets>`` with ``<MemberCode>``, ATLAS.ti's code groups)
  become ``tags`` of the codes;
* the users of the project are the coders (their name; the id when names
  repeat), except a user that is the tool itself (ATLAS.ti's "ATLAS.ti");
* a code name used twice in the tree is made unique with its parent's name
  (``parent/name``).

Hostile or broken files raise ``InputError`` and touch nothing: malformed
XML, an archive member whose path climbs out (``../``) or is absolute, an
XML entity or DTD (never resolved: ``defusedxml``), a selection past the end
of its text, a coding that points at a missing code.

Example:
    >>> import tempfile, pathlib, polars as pl
    >>> from impact.coding.corpus import Corpus
    >>> c = Corpus.from_tables(pl.DataFrame({"document": ["I01"], "text": ["Ik wil werken."]}),
    ...     pl.DataFrame({"document": ["I01"], "start": [7], "end": [13], "code": ["werk"], "coder": ["BB03"]}))
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "studie.qdpx"
    >>> _ = write_qdpx(c, path)
    >>> read_qdpx(path).codings.select("document", "code", "coder", "text").rows()
    [('I01', 'werk', 'BB03', 'werken')]
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import uuid
import zipfile
from pathlib import Path

from impact.errors import InputError, Problem, Text

NS = "urn:QDA-XML:project:1.0"
MAX_MEMBER_BYTES = 512 * 1024 * 1024
_GUID_NS = uuid.UUID("5b0c7e8e-3f5c-4c53-9a51-2a4e1f0c9d11")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _guid(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip().strip("{}").lower()


def _children(elem, name: str):
    return [c for c in elem if _local(c.tag) == name]


def _child(elem, name: str):
    for c in elem:
        if _local(c.tag) == name:
            return c
    return None


def _fail(shown: str, text: Text, value=None) -> InputError:
    return InputError(Text("{shown}: {text}", shown=shown, text=text),
                      [Problem(shown, None, None, value, text)])


def _parse_xml(data: bytes, shown: str):
    import xml.etree.ElementTree as ET

    import defusedxml
    import defusedxml.ElementTree as DET

    try:
        return DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (defusedxml.DTDForbidden, defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden,
            defusedxml.NotSupportedError) as exc:
        raise _fail(shown, Text("dit bestand bevat een DTD of entiteit; die worden om veiligheidsredenen "
                                "niet gelezen."), type(exc).__name__) from None
    except ET.ParseError as exc:
        raise _fail(shown, Text("dit is geen geldige XML ({exc}).", exc=exc)) from None


def _safe_members(archive: zipfile.ZipFile, shown: str) -> dict[str, zipfile.ZipInfo]:
    members = {}
    total = 0
    for info in archive.infolist():
        name = info.filename.replace("\\", "/")
        parts = name.split("/")
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            raise _fail(shown, Text("het archief bevat een pad dat buiten het archief wijst ({name}); het is "
                                    "niet gelezen.",
                                    name=name), name)
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES or total > 4 * MAX_MEMBER_BYTES:
            raise _fail(shown, Text("het archief is te groot om uit te pakken."), name)
        members[name] = info
    return members


def read_qdpx(path: Path | str, strict: bool = True, positions=None):
    """Read a REFI-QDA project (``.qdpx``) or codebook (``.qdc``) into a ``Corpus``.

    With ``strict`` (the default) any broken selection or coding raises an
    ``InputError`` that lists them all; otherwise they are left out and
    listed in ``corpus.problems``. ``positions`` (a ``PositionRule`` or its
    name) overrides how selection positions are counted; by default the
    rule of the tool in ``<Project origin>``, or for an unknown tool the rule
    under which selections fall on word boundaries (``corpus.source`` says
    which rule was used and why).
    """
    from impact.coding.positions import PositionRule, parse_rule

    path = Path(path)
    shown = path.name
    rule = positions if isinstance(positions, PositionRule) or positions is None else parse_rule(positions)
    if not path.is_file():
        raise _fail(shown, Text("dit bestand bestaat niet."))
    if path.suffix.lower() == ".qdc":
        root = _parse_xml(path.read_bytes(), shown)
        return _build(root, None, shown, strict, rule)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise _fail(shown, Text("dit is geen REFI-QDA-project (.qdpx is een zip-archief).")) from None
    with archive:
        members = _safe_members(archive, shown)
        project = [n for n in members if "/" not in n and n.lower().endswith(".qde")]
        if not project:
            raise _fail(shown, Text("het archief bevat geen project.qde."))
        root = _parse_xml(archive.read(members[project[0]]), f"{shown}/{project[0]}")

        def read_source(ref: str) -> str | None:
            ref = re.sub(r"^internal://", "", ref.strip(), flags=re.I).replace("\\", "/")
            base = posixpath.basename(ref)
            wanted = {f"sources/{ref}".lower(), f"sources/{base}".lower(), ref.lower()}
            for name, info in members.items():
                if name.lower() in wanted:
                    return _decode(archive.read(info))
            return None

        return _build(root, read_source, shown, strict, rule)


def _decode(data: bytes) -> str:
    """A source file's text as the tool stored it: a BOM stays (as U+FEFF), line endings stay."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "\ufeff" + data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return "\ufeff" + data[3:].decode("utf-8", errors="replace")
    from impact.tabular import decode_bytes

    return decode_bytes(data)[0]


# users that are the tool itself, not a person who codes (ATLAS.ti makes one called "ATLAS.ti")
TOOL_USERS = ("atlas.ti", "atlasti", "nvivo", "maxqda", "qualcoder", "quirkos", "dedoose", "f4analyse", "system")


def _tool_user(name: str | None, origin: str) -> bool:
    value = str(name or "").strip().lower()
    if not value:
        return False
    tool = origin.strip().lower().split(" ")[0] if origin.strip() else ""
    return value in TOOL_USERS or (bool(tool) and value == tool)


def _attr_date(elem) -> dt.date | None:
    for name in ("creationDateTime", "modifiedDateTime"):
        value = elem.get(name) if elem is not None else None
        if value:
            try:
                return dt.date.fromisoformat(value.strip()[:10])
            except ValueError:
                continue
    return None


def _text_of(elem) -> str | None:
    return elem.text if elem is not None and elem.text and elem.text.strip() else None


def _note_refs(elem) -> list[str]:
    return [_guid(r.get("targetGUID")) for r in _children(elem, "NoteRef") if r.get("targetGUID")]


def _build(root, read_source, shown: str, strict: bool, given_rule=None):
    import polars as pl

    from impact.coding.corpus import Corpus, complete_codes
    from impact.coding.positions import PositionMap, choose_rule, rule_for_origin, rules_differ, score_rule

    problems: list[Problem] = []
    if _local(root.tag) not in ("Project", "CodeBook"):
        raise _fail(shown, Text("dit is geen REFI-QDA-project of -codeboek."),
                    _local(root.tag))
    origin = root.get("origin") or ""
    # users -> coders (a user that is the tool itself is not a coder)
    users: dict[str | None, str] = {}
    tool_users: set[str] = set()
    user_elems = _children(_child(root, "Users"), "User") if _child(root, "Users") is not None else []
    names = [u.get("name") or u.get("id") or _guid(u.get("guid")) for u in user_elems]
    for u, name in zip(user_elems, names):
        if names.count(name) > 1:
            name = f"{name} ({u.get('id') or _guid(u.get('guid'))[:8]})"
        users[_guid(u.get("guid"))] = name
        if _tool_user(name, origin):
            tool_users.add(name)
    tool_name = rule_for_origin(origin)[1] or (origin.split(" ")[0] if origin else "") or "tool"
    # codes (a tree); unique names
    codebook = root if _local(root.tag) == "CodeBook" else _child(root, "CodeBook")
    flat: list[dict] = []

    def walk(elem, parent_index):
        for code in _children(elem, "Code"):
            desc = _child(code, "Description")
            flat.append({"guid": _guid(code.get("guid")), "name": (code.get("name") or "").strip(),
                         "parent": parent_index, "codable": (code.get("isCodable") or "true").lower() != "false",
                         "definition": (desc.text or "").strip() or None if desc is not None else None,
                         "notes": _note_refs(code)})
            walk(code, len(flat) - 1)

    codes_elem = _child(codebook, "Codes") if codebook is not None else None
    if codes_elem is not None:
        walk(codes_elem, None)
    counts: dict[str, int] = {}
    for c in flat:
        counts[c["name"]] = counts.get(c["name"], 0) + 1
    for c in flat:
        label, p = c["name"], c["parent"]
        while counts.get(label, 0) > 1 and p is not None:
            label = f"{flat[p]['name']}/{label}"
            p = flat[p]["parent"]
        c["code"] = label
    seen: dict[str, int] = {}
    for c in flat:  # still repeated (same path twice): number them
        seen[c["code"]] = seen.get(c["code"], 0) + 1
        if seen[c["code"]] > 1:
            c["code"] = f"{c['code']} ({seen[c['code']]})"
    code_of = {c["guid"]: c["code"] for c in flat}
    # sets: code groups become tags on the codes; impact's own sets carry memo facts
    tags: dict[str, list[str]] = {}
    published: set[str] = set()
    step_of: dict[str, str] = {}
    sets_parent = _child(root, "Sets") if _child(root, "Sets") is not None else (
        _child(codebook, "Sets") if codebook is not None else None)
    for s in (_children(sets_parent, "Set") if sets_parent is not None else []):
        set_name = (s.get("name") or "").strip()
        members = [_guid(m.get("targetGUID")) for m in _children(s, "MemberNote")]
        if set_name == SET_PUBLISH:
            published.update(members)
            continue
        if set_name.startswith(SET_STEP):
            step_of.update({m: set_name[len(SET_STEP):] for m in members})
            continue
        for m in _children(s, "MemberCode"):
            code = code_of.get(_guid(m.get("targetGUID")))
            if code and set_name and set_name not in tags.setdefault(code, []):
                tags[code].append(set_name)
    codes = complete_codes(pl.DataFrame(
        [{"code": c["code"], "parent": flat[c["parent"]]["code"] if c["parent"] is not None else None,
          "definition": c["definition"], "codable": c["codable"], "tags": tags.get(c["code"], [])} for c in flat],
        schema={"code": pl.Utf8, "parent": pl.Utf8, "definition": pl.Utf8, "codable": pl.Boolean,
                "tags": pl.List(pl.Utf8)}))
    # variables
    variables = {}
    var_elem = _child(root, "Variables")
    var_types = {}
    for v in (_children(var_elem, "Variable") if var_elem is not None else []):
        variables[_guid(v.get("guid"))] = v.get("name")
        var_types[v.get("name")] = {"Boolean": pl.Boolean, "Integer": pl.Int64, "Float": pl.Float64,
                                    "Date": pl.Date, "DateTime": pl.Datetime}.get(v.get("typeOfVariable"), pl.Utf8)
    # sources as the tool stored them, with their selections in the tool's positions
    raw_sources = []
    sources = _child(root, "Sources")
    doc_names: dict[str, int] = {}
    for source in (_children(sources, "TextSource") if sources is not None else []):
        guid = _guid(source.get("guid"))
        ref = source.get("plainTextPath")
        name = source.get("name") or (posixpath.splitext(posixpath.basename(
            re.sub(r"^internal://", "", ref or "")))[0] if ref else None) or guid
        doc_names[name] = doc_names.get(name, 0) + 1
        if doc_names[name] > 1:
            name = f"{name} ({guid[:8]})"
        content = _child(source, "PlainTextContent")
        if content is not None and content.text is not None:
            raw = content.text
        elif ref and read_source:
            raw = read_source(ref)
            if raw is None:
                problems.append(Problem(shown, None, "plainTextPath", ref, Text("een tekstbestand in de map "
                                                                                "sources/ van het archief")))
                continue
        else:
            raw = ""
        raw_sources.append({"guid": guid, "name": name, "raw": raw, "elem": source,
                            "selections": [(s, int(s.get("startPosition")), int(s.get("endPosition")))
                                           for s in _children(source, "PlainTextSelection")]})
    notes = {_guid(n.get("guid")): n for n in (_children(_child(root, "Notes"), "Note")
                                                if _child(root, "Notes") is not None else [])}
    # how the tool counts positions: given, from the origin, or the rule that fits the words
    spans = [(s["raw"], [(a, b) for _, a, b in s["selections"]]) for s in raw_sources]
    tool_rule, tool = rule_for_origin(origin)
    info = {"origin": origin, "tool": tool, "tool_users": sorted(tool_users), "tool_name": tool_name}
    if given_rule is not None:
        rule, how = given_rule, "given"
    elif tool_rule is not None:
        rule, how = tool_rule, "origin"
    elif not rules_differ(spans):
        from impact.coding.positions import STANDARD

        rule, how = STANDARD, "same"
    else:
        rule, ranked = choose_rule(spans)
        how = "chosen"
        info["scores"] = [(s.rule.name, s.clean, s.boundaries) for s in ranked]
    if how in ("given", "origin") and rules_differ(spans) and any(s for _, s in spans):
        best, ranked = choose_rule(spans)
        mine = score_rule(spans, rule)
        info["scores"] = [(s.rule.name, s.clean, s.boundaries) for s in ranked]
        if best != rule and ranked[0].share - mine.share >= 0.1:
            info["better_rule"] = best.name
    info.update(rule=rule, how=how)
    documents, codings, inexact = [], [], 0
    where_selection: dict[str, tuple] = {}  # selection guid -> (document, start, end, [codes])
    where_coding: dict[str, tuple] = {}     # coding guid -> (document, start, end, code)
    maps: dict[str, object] = {}
    for src in raw_sources:
        pm = PositionMap(src["raw"], rule)
        maps[src["guid"]] = (src["name"], pm)
        text, source, name = pm.text, src["elem"], src["name"]
        meta = {}
        for vv in _children(source, "VariableValue"):
            ref_elem = _child(vv, "VariableRef")
            var = variables.get(_guid(ref_elem.get("targetGUID"))) if ref_elem is not None else None
            if var:
                meta[var] = _variable_value(vv)
        documents.append({"document": name, "text": text, **meta})
        whole = [(source, 0, pm.length)] if _children(source, "Coding") else []
        for sel, start, end in src["selections"] + whole:
            s_off, s_exact = pm.to_offset(start)
            e_off, e_exact = pm.to_offset(end, end=True)
            where = f"{name} {start}-{end}"
            if s_off is None or e_off is None or s_off >= e_off:
                if _children(sel, "Coding") or sel is not source:
                    problems.append(Problem(shown, None, "startPosition", where, Text("een stuk binnen de "
                                                                                      "tekst (lengte "
                                                                                      "{length})",
                                                                                      length=pm.length)))
                continue
            inexact += (not s_exact) + (not e_exact)
            sel_codes = []
            for coding in _children(sel, "Coding"):
                ref_el = _child(coding, "CodeRef")
                target = _guid(ref_el.get("targetGUID")) if ref_el is not None else None
                if target not in code_of:
                    problems.append(Problem(shown, None, "CodeRef", f"{where}: {target}", Text("een code uit "
                                                                                               "het codeboek "
                                                                                               "van het "
                                                                                               "project")))
                    continue
                user = _guid(coding.get("creatingUser") or sel.get("creatingUser"))
                coder = users.get(user) or user or tool_name
                codings.append({"document": name, "start": s_off, "end": e_off, "code": code_of[target],
                                "coder": coder})
                sel_codes.append(code_of[target])
                if coding.get("guid"):
                    where_coding[_guid(coding.get("guid"))] = (name, s_off, e_off, code_of[target])
            if sel is not source and sel.get("guid"):
                where_selection[_guid(sel.get("guid"))] = (name, s_off, e_off, sel_codes)
    info["inexact"] = inexact
    errors = [p for p in problems if p.severity == "error"]
    if strict and errors:
        raise InputError(Text("{shown}: {n_errors} codering(en) kloppen niet.", shown=shown, n_errors=len(errors)), errors)
    doc_schema = {"document": pl.Utf8, "text": pl.Utf8}
    doc_schema.update({name: dtype for name, dtype in var_types.items() if name not in doc_schema})
    try:
        docs = pl.DataFrame([{k: d.get(k) for k in doc_schema} for d in documents], schema=doc_schema)
    except (TypeError, ValueError, pl.exceptions.PolarsError):  # a value that does not fit its declared type
        docs = pl.DataFrame([{k: None if d.get(k) is None else str(d.get(k)) for k in doc_schema} for d in documents],
                            schema={k: pl.Utf8 for k in doc_schema})
    cod = pl.DataFrame(codings, schema={"document": pl.Utf8, "start": pl.Int64, "end": pl.Int64, "code": pl.Utf8,
                                        "coder": pl.Utf8})
    cod = cod.unique(maintain_order=True)
    real_users = [u for u in users.values() if u not in tool_users]
    coders = pl.DataFrame({"coder": list(dict.fromkeys(real_users + [c for c in cod["coder"].to_list()
                                                                    if c not in tool_users]))},
                          schema={"coder": pl.Utf8})
    corpus = Corpus.from_tables(docs, cod, codes=codes, coders=coders, name=root.get("name") or shown)
    used = cod["coder"].value_counts(sort=True).rows() if cod.height else []
    info["users"] = {name: n for name, n in used}
    corpus.memos = _read_memos(root, read_source, notes, users, tool_name, flat, code_of, where_selection,
                               where_coding, maps, raw_sources, published, step_of, origin, corpus.name)
    corpus.problems = problems
    corpus.source = info
    return corpus


SET_PUBLISH = "impact: publiceren"  # impact's memos marked for publication
SET_STEP = "impact: stap "          # impact's memos about a step of the theory of change (+ the step id)


def _read_memos(root, read_source, notes, users, tool_name, flat, code_of, where_selection, where_coding,
                maps, raw_sources, published, step_of, origin, corpus_name):
    """Notes (with what refers to them) and Descriptions of sources, selections and the project, as memos.

    What a note is about comes from where its ``NoteRef`` (or an NVivo
    ``Link``) sits: a Coding -> that coding; a PlainTextSelection -> that
    passage (a coding when the selection holds one code); a TextSource ->
    the document; a Code -> the code; the Project, or nothing -> the study.
    """
    from impact.coding.memos import memo_table

    by_impact = origin.strip().lower().startswith("impact")
    about: dict[str, dict] = {}

    def claim(note_guid, target: dict):
        about.setdefault(note_guid, target)  # the first (most specific) place wins

    def at_selection(key):
        doc, s, e, codes = where_selection[key]
        if len(set(codes)) == 1:
            return {"about_kind": "coding", "about": doc, "start": s, "end": e, "code": codes[0]}
        return {"about_kind": "document", "about": doc, "start": s, "end": e}

    for src in raw_sources:
        for sel, _a, _b in src["selections"]:
            for coding in _children(sel, "Coding"):
                target = where_coding.get(_guid(coding.get("guid")))
                for ref in _note_refs(coding):
                    if target:
                        doc, s, e, code = target
                        claim(ref, {"about_kind": "coding", "about": doc, "start": s, "end": e, "code": code})
            key = _guid(sel.get("guid"))
            for ref in _note_refs(sel):
                if key in where_selection:
                    claim(ref, at_selection(key))
    for link in (_children(_child(root, "Links"), "Link") if _child(root, "Links") is not None else []):
        origin_guid, target_guid = _guid(link.get("originGUID")), _guid(link.get("targetGUID"))
        for note, other in ((origin_guid, target_guid), (target_guid, origin_guid)):
            if note in notes and other in where_selection:
                claim(note, at_selection(other))
    for c in flat:
        for ref in c["notes"]:
            claim(ref, {"about_kind": "code", "about": c["code"]})
    for src in raw_sources:
        for ref in _note_refs(src["elem"]):
            note = notes.get(ref)
            inner = _child(note, "PlainTextSelection") if note is not None else None
            if inner is not None:  # QualCoder: the passage sits inside the note
                name, pm = maps[src["guid"]]
                s, _ = pm.to_offset(int(inner.get("startPosition")))
                e, _ = pm.to_offset(int(inner.get("endPosition")), end=True)
                if s is not None and e is not None and s < e:
                    claim(ref, {"about_kind": "document", "about": name, "start": s, "end": e})
                    continue
            claim(ref, {"about_kind": "document", "about": src["name"]})
    for note in notes:
        if note in step_of:
            claim(note, {"about_kind": "step", "about": step_of[note]})
    records = []
    project_user = users.get(_guid(root.get("creatingUserGUID")))
    fallback_date = _attr_date(root)

    def record(memo_id, title, user_guid, date, target, text, publish=False):
        author = users.get(_guid(user_guid)) or project_user or tool_name
        base = {"about_kind": "study", "about": None, "start": None, "end": None, "code": None}
        records.append({**base, **target, "memo": memo_id, "title": title, "author": author,
                        "date": date or fallback_date, "publish": publish, "text": (text or "").strip()})

    for n, (guid, note) in enumerate(notes.items(), start=1):
        content = _child(note, "PlainTextContent")
        text = content.text if content is not None else None
        if text is None and note.get("plainTextPath") and read_source:
            text = read_source(note.get("plainTextPath"))
        if not (text or "").strip():
            continue
        desc = _text_of(_child(note, "Description"))
        name = (note.get("name") or "").strip()
        memo_id = name if by_impact and name else _memo_name(name or desc, corpus_name, n)
        title = desc if by_impact else (name or desc)
        record(memo_id, title, note.get("creatingUser") or note.get("modifyingUser"), _attr_date(note),
               about.get(guid, {}), text.replace("\r\n", "\n").lstrip("\ufeff"), publish=guid in published)
    # Descriptions as memos: of the project (study), of a source (document), of a selection (passage or coding)
    k = 0
    desc = _text_of(_child(root, "Description"))
    if desc:
        k += 1
        record(_memo_name(None, corpus_name, f"d{k}"), None, root.get("creatingUserGUID"), fallback_date, {}, desc)
    for src in raw_sources:
        desc = _text_of(_child(src["elem"], "Description"))
        if desc:
            k += 1
            record(_memo_name(None, corpus_name, f"d{k}"), None, src["elem"].get("creatingUser"),
                   _attr_date(src["elem"]), {"about_kind": "document", "about": src["name"]}, desc)
        for sel, _a, _b in src["selections"]:
            desc = _text_of(_child(sel, "Description"))
            key = _guid(sel.get("guid"))
            if desc and key in where_selection:
                k += 1
                record(_memo_name(None, corpus_name, f"d{k}"), None, sel.get("creatingUser"), _attr_date(sel),
                       at_selection(key), desc)
    seen: dict[str, int] = {}
    for r in records:  # one id per memo
        seen[r["memo"]] = seen.get(r["memo"], 0) + 1
        if seen[r["memo"]] > 1:
            r["memo"] = f"{r['memo']}-{seen[r['memo']]}"
    return memo_table(records)


def _memo_name(name: str | None, corpus_name: str, n) -> str:
    """A memo id (a file name) for a note of another tool: its name, else the project's name and a number."""
    from impact.files import safe_name

    if name and safe_name(name) != "document":
        return safe_name(name)[:60]
    return f"{safe_name(corpus_name)[:40]}-memo-{n}"


def _variable_value(vv):
    for tag, conv in (("TextValue", str), ("BooleanValue", lambda s: s.strip().lower() in ("true", "1")),
                      ("IntegerValue", int), ("FloatValue", float), ("DateValue", lambda s: dt.date.fromisoformat(s[:10])),
                      ("DateTimeValue", lambda s: dt.datetime.fromisoformat(s.replace("Z", "+00:00")))):
        el = _child(vv, tag)
        if el is not None and el.text is not None:
            try:
                return conv(el.text.strip() if tag != "TextValue" else el.text)
            except ValueError:
                return el.text
    return None


def _uid(*parts) -> str:
    return str(uuid.uuid5(_GUID_NS, "\x1f".join(str(p) for p in parts)))


_VAR_TYPES = {"Boolean": ("Boolean", "BooleanValue"), "Int": ("Integer", "IntegerValue"),
              "UInt": ("Integer", "IntegerValue"), "Float": ("Float", "FloatValue"), "Date": ("Date", "DateValue")}


def _var_type(dtype) -> tuple[str, str]:
    name = str(dtype)
    for prefix, kind in _VAR_TYPES.items():
        if name.startswith(prefix):
            return kind
    return "Text", "TextValue"


def _var_text(value, tag: str) -> str:
    if tag == "BooleanValue":
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def write_qdpx(corpus, path: Path | str, positions=None) -> Path:
    """Write ``corpus`` as a REFI-QDA project (``.qdpx``); returns the path.

    GUIDs are derived from names (uuid5), so the same corpus gives the
    same file. Texts go to ``sources/<guid>.txt`` (UTF-8); document
    metadata become project variables; the code's definition becomes its
    description; code tags become sets. ``positions`` (a ``PositionRule``
    or its name, default ``codepoints``: the REFI-QDA standard's
    characters) is how the target tool counts: the text is written the way
    that rule counts it (CRLF for ``+crlf2``, a BOM for ``+bom``) and the
    positions are counted by it, and ``origin`` names the rule, so impact
    reads its own file back exactly.

    Memos (``corpus.memos``) become ``<Notes>``: a ``NoteRef`` on the coding,
    passage, document, code or project it is about; the author is the
    note's ``creatingUser``; memos marked for publication and memos about a
    step of the theory of change are members of impact's own sets.
    """
    from lxml import etree

    import impact
    from impact.coding.positions import STANDARD, PositionMap, PositionRule, parse_rule, stored_text

    rule = positions if isinstance(positions, PositionRule) else (parse_rule(positions) if positions else STANDARD)
    path = Path(path)
    E = lambda tag, **attrs: etree.Element(f"{{{NS}}}{tag}", {k: v for k, v in attrs.items() if v is not None}, nsmap={None: NS})  # noqa: E731

    def sub(parent, tag, **attrs):
        return etree.SubElement(parent, f"{{{NS}}}{tag}", {k: v for k, v in attrs.items() if v is not None})

    root = E("Project", name=corpus.name or "impact", origin=f"impact {impact.__version__}; positions={rule.name}")
    memos = corpus.memos.to_dicts() if corpus.memos is not None else []
    coders = corpus.coders["coder"].to_list()
    for c in corpus.codings["coder"].unique().sort().to_list() + sorted({m["author"] for m in memos}):
        if c not in coders:
            coders.append(c)
    user_guid = {c: _uid("user", c) for c in coders}
    if coders:
        users = sub(root, "Users")
        for c in coders:
            sub(users, "User", guid=user_guid[c], name=c)
    note_guid = {m["memo"]: _uid("note", m["memo"]) for m in memos}
    about_code, about_doc, about_coding, about_passage, about_project = {}, {}, {}, {}, []
    for m in memos:
        kind, target = m["about_kind"], m["about"]
        if kind == "code":
            about_code.setdefault(target, []).append(m["memo"])
        elif kind == "document" and m["start"] is None:
            about_doc.setdefault(target, []).append(m["memo"])
        elif kind == "document":
            about_passage.setdefault(target, []).append(m)
        elif kind == "coding":
            about_coding.setdefault((target, m["start"], m["end"], m["code"]), []).append(m)
        else:
            about_project.append(m["memo"])
    codes = corpus.codes.to_dicts()
    known = {c["code"] for c in codes}
    for c in sorted(set(corpus.codings["code"].to_list()) - known):
        codes.append({"code": c, "parent": None, "definition": None, "codable": True})
    code_guid = {c["code"]: _uid("code", c["code"]) for c in codes}
    children: dict[str | None, list[dict]] = {}
    for c in codes:
        parent = c.get("parent") if c.get("parent") in code_guid and c.get("parent") != c["code"] else None
        children.setdefault(parent, []).append(c)
    if codes:
        book = sub(root, "CodeBook")
        holder = sub(book, "Codes")
        placed: set[str] = set()

        def add(parent_elem, parent_code):
            for c in children.get(parent_code, []):
                if c["code"] in placed:
                    continue
                placed.add(c["code"])
                el = sub(parent_elem, "Code", guid=code_guid[c["code"]], name=c["code"],
                         isCodable="false" if c.get("codable") is False else "true")
                if c.get("definition"):
                    sub(el, "Description").text = c["definition"]
                for memo in about_code.get(c["code"], []):
                    sub(el, "NoteRef", targetGUID=note_guid[memo])
                add(el, c["code"])

        add(holder, None)
        for c in codes:  # codes in a parent cycle: top level
            if c["code"] not in placed:
                children[None] = [c]
                add(holder, None)
    meta_cols = [c for c in corpus.documents.columns if c not in ("document", "text")]
    var_info = {c: _var_type(corpus.documents.schema[c]) for c in meta_cols}
    if meta_cols:
        variables = sub(root, "Variables")
        for col in meta_cols:
            sub(variables, "Variable", guid=_uid("variable", col), name=col, typeOfVariable=var_info[col][0])
    files: list[tuple[str, str]] = []
    by_doc: dict[str, list[dict]] = {}
    for row in corpus.codings.sort("document", "start", "end", "code", "coder").iter_rows(named=True):
        by_doc.setdefault(row["document"], []).append(row)
    docs = corpus.documents.to_dicts()
    exported_docs = {d["document"] for d in docs}
    if docs:
        sources = sub(root, "Sources")
        for doc in docs:
            guid = _uid("document", doc["document"])
            src = sub(sources, "TextSource", guid=guid, name=doc["document"], plainTextPath=f"internal://{guid}.txt")
            stored = stored_text(doc["text"] or "", rule)
            pm = PositionMap(stored, rule)
            files.append((f"sources/{guid}.txt", stored))
            selections: dict[tuple[int, int], list[dict]] = {}
            for row in by_doc.get(doc["document"], []):
                selections.setdefault((row["start"], row["end"]), []).append(row)
            coding_notes = {k[1:]: v for k, v in about_coding.items() if k[0] == doc["document"]}
            passages = list(about_passage.get(doc["document"], []))
            for (s, e, code), ms in coding_notes.items():  # a memo about a coding that is not here: its passage
                if not any(r["code"] == code for r in selections.get((s, e), [])):
                    passages += [{**m, "about_kind": "document"} for m in ms]
            for m in passages:
                selections.setdefault((m["start"], m["end"]), [])
            passage_at: dict[tuple[int, int], list[str]] = {}
            for m in passages:
                passage_at.setdefault((m["start"], m["end"]), []).append(m["memo"])
            for (start, end), rows in sorted(selections.items()):
                sel = sub(src, "PlainTextSelection", guid=_uid("sel", doc["document"], start, end),
                          startPosition=str(pm.from_offset(start)), endPosition=str(pm.from_offset(end)))
                for row in rows:
                    cod = sub(sel, "Coding", guid=_uid("coding", doc["document"], start, end, row["code"], row["coder"]),
                              creatingUser=user_guid[row["coder"]])
                    sub(cod, "CodeRef", targetGUID=code_guid[row["code"]])
                    for m in coding_notes.get((start, end, row["code"]), []):
                        sub(cod, "NoteRef", targetGUID=note_guid[m["memo"]])
                for memo in passage_at.get((start, end), []):
                    sub(sel, "NoteRef", targetGUID=note_guid[memo])
            for memo in about_doc.get(doc["document"], []):
                sub(src, "NoteRef", targetGUID=note_guid[memo])
            for col in meta_cols:
                if doc.get(col) is None:
                    continue
                vv = sub(src, "VariableValue")
                sub(vv, "VariableRef", targetGUID=_uid("variable", col))
                sub(vv, var_info[col][1]).text = _var_text(doc[col], var_info[col][1])
    # a memo about a document that is not in this file (or a step, or the study) hangs on the project
    for m in memos:
        if m["about_kind"] in ("document", "coding") and m["about"] not in exported_docs:
            about_project.append(m["memo"])
    if memos:
        notes = sub(root, "Notes")
        for m in sorted(memos, key=lambda m: m["memo"]):
            when = f"{m['date'].isoformat()}T00:00:00Z" if m.get("date") else None
            note = sub(notes, "Note", guid=note_guid[m["memo"]], name=m["memo"],
                       creatingUser=user_guid[m["author"]], creationDateTime=when)
            if m.get("title"):
                sub(note, "Description").text = m["title"]
            sub(note, "PlainTextContent").text = m["text"] or ""
    sets = []
    tagged: dict[str, list[str]] = {}
    for c in codes:
        for tag in (c.get("tags") or []):
            tagged.setdefault(tag, []).append(c["code"])
    for tag in sorted(tagged):
        sets.append((tag, [("MemberCode", code_guid[c]) for c in tagged[tag]]))
    publish = sorted(m["memo"] for m in memos if m.get("publish"))
    if publish:
        sets.append((SET_PUBLISH, [("MemberNote", note_guid[x]) for x in publish]))
    steps: dict[str, list[str]] = {}
    for m in memos:
        if m["about_kind"] == "step":
            steps.setdefault(m["about"], []).append(m["memo"])
    for step in sorted(steps):
        sets.append((f"{SET_STEP}{step}", [("MemberNote", note_guid[x]) for x in sorted(steps[step])]))
    if sets:
        holder = sub(root, "Sets")
        for name, members in sets:
            s = sub(holder, "Set", guid=_uid("set", name), name=name)
            for tag, target in members:
                sub(s, tag, targetGUID=target)
    for memo in sorted(dict.fromkeys(about_project)):
        sub(root, "NoteRef", targetGUID=note_guid[memo])
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [("project.qde", xml)] + [(n, t.encode("utf-8")) for n, t in files]:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path
