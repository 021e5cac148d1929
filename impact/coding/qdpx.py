"""REFI-QDA exchange (.qdpx projects, .qdc codebooks): ATLAS.ti, NVivo, MAXQDA, QualCoder.

``read_qdpx(path)`` reads a project (or a codebook) into a ``Corpus``;
``write_qdpx(corpus, path)`` writes a project that validates against the
REFI-QDA ``Project.xsd`` (QDA-XML 1.0).

What real exports do, and how it is read:

* text files with CRLF line endings: positions count a line break as one
  code point, so the text is normalised to LF first;
* GUIDs with or without braces, in any case: compared without braces, lower case;
* ``sources/`` or ``Sources/``, ``plainTextPath`` with or without ``internal://``;
  text inside the XML (``PlainTextContent``) is used when present;
* selections that carry only a ``Description`` (a memo, no code): skipped;
* folder codes (``isCodable="false"``): kept in ``codes`` with ``codable`` False;
* the users of the project are the coders (their name; the id when names repeat);
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


def _fail(shown: str, nl: str, en: str, value=None) -> InputError:
    return InputError(Text(f"{shown}: {nl}", f"{shown}: {en}"),
                      [Problem(shown, None, None, value, Text(nl, en))])


def _parse_xml(data: bytes, shown: str):
    import xml.etree.ElementTree as ET

    import defusedxml
    import defusedxml.ElementTree as DET

    try:
        return DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (defusedxml.DTDForbidden, defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden,
            defusedxml.NotSupportedError) as exc:
        raise _fail(shown, "dit bestand bevat een DTD of entiteit; die worden om veiligheidsredenen niet gelezen.",
                    "this file holds a DTD or entity; for safety these are not read.", type(exc).__name__) from None
    except ET.ParseError as exc:
        raise _fail(shown, f"dit is geen geldige XML ({exc}).", f"this is not valid XML ({exc}).") from None


def _safe_members(archive: zipfile.ZipFile, shown: str) -> dict[str, zipfile.ZipInfo]:
    members = {}
    total = 0
    for info in archive.infolist():
        name = info.filename.replace("\\", "/")
        parts = name.split("/")
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            raise _fail(shown, f"het archief bevat een pad dat buiten het archief wijst ({name}); het is niet gelezen.",
                        f"the archive holds a path that points outside it ({name}); it was not read.", name)
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES or total > 4 * MAX_MEMBER_BYTES:
            raise _fail(shown, "het archief is te groot om uit te pakken.", "the archive is too large to unpack.", name)
        members[name] = info
    return members


def _decode(data: bytes) -> str:
    from impact.tabular import decode_bytes

    text, _ = decode_bytes(data)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_qdpx(path: Path | str, strict: bool = True):
    """Read a REFI-QDA project (``.qdpx``) or codebook (``.qdc``) into a ``Corpus``.

    With ``strict`` (the default) any broken selection or coding raises an
    ``InputError`` that lists them all; otherwise they are left out and
    listed in ``corpus.problems``.
    """
    path = Path(path)
    shown = path.name
    if not path.is_file():
        raise _fail(shown, "dit bestand bestaat niet.", "this file does not exist.")
    if path.suffix.lower() == ".qdc":
        root = _parse_xml(path.read_bytes(), shown)
        return _build(root, {}, shown, strict)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise _fail(shown, "dit is geen REFI-QDA-project (.qdpx is een zip-archief).",
                    "this is not a REFI-QDA project (.qdpx is a zip archive).") from None
    with archive:
        members = _safe_members(archive, shown)
        project = [n for n in members if "/" not in n and n.lower().endswith(".qde")]
        if not project:
            raise _fail(shown, "het archief bevat geen project.qde.", "the archive holds no project.qde.")
        root = _parse_xml(archive.read(members[project[0]]), f"{shown}/{project[0]}")

        def read_source(ref: str) -> str | None:
            ref = re.sub(r"^internal://", "", ref.strip(), flags=re.I).replace("\\", "/")
            base = posixpath.basename(ref)
            wanted = {f"sources/{ref}".lower(), f"sources/{base}".lower(), ref.lower()}
            for name, info in members.items():
                if name.lower() in wanted:
                    return _decode(archive.read(info))
            return None

        return _build(root, read_source, shown, strict)


def _build(root, read_source, shown: str, strict: bool):
    import polars as pl

    from impact.coding.corpus import Corpus, complete_codes

    problems: list[Problem] = []
    if _local(root.tag) not in ("Project", "CodeBook"):
        raise _fail(shown, "dit is geen REFI-QDA-project of -codeboek.", "this is not a REFI-QDA project or codebook.",
                    _local(root.tag))
    # users -> coders
    users = {}
    user_elems = _children(_child(root, "Users"), "User") if _child(root, "Users") is not None else []
    names = [u.get("name") or u.get("id") or _guid(u.get("guid")) for u in user_elems]
    for u, name in zip(user_elems, names):
        if names.count(name) > 1:
            name = f"{name} ({u.get('id') or _guid(u.get('guid'))[:8]})"
        users[_guid(u.get("guid"))] = name
    # codes (a tree); unique names
    codebook = root if _local(root.tag) == "CodeBook" else _child(root, "CodeBook")
    flat: list[dict] = []

    def walk(elem, parent_index):
        for code in _children(elem, "Code"):
            desc = _child(code, "Description")
            flat.append({"guid": _guid(code.get("guid")), "name": (code.get("name") or "").strip(),
                         "parent": parent_index, "codable": (code.get("isCodable") or "true").lower() != "false",
                         "definition": (desc.text or "").strip() or None if desc is not None else None})
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
    codes = complete_codes(pl.DataFrame(
        [{"code": c["code"], "parent": flat[c["parent"]]["code"] if c["parent"] is not None else None,
          "definition": c["definition"], "codable": c["codable"]} for c in flat],
        schema={"code": pl.Utf8, "parent": pl.Utf8, "definition": pl.Utf8, "codable": pl.Boolean}))
    # variables
    variables = {}
    var_elem = _child(root, "Variables")
    var_types = {}
    for v in (_children(var_elem, "Variable") if var_elem is not None else []):
        variables[_guid(v.get("guid"))] = v.get("name")
        var_types[v.get("name")] = {"Boolean": pl.Boolean, "Integer": pl.Int64, "Float": pl.Float64,
                                    "Date": pl.Date, "DateTime": pl.Datetime}.get(v.get("typeOfVariable"), pl.Utf8)
    documents, codings = [], []
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
            text = content.text.replace("\r\n", "\n").replace("\r", "\n")
        elif ref and read_source:
            text = read_source(ref)
            if text is None:
                problems.append(Problem(shown, None, "plainTextPath", ref, Text(
                    "een tekstbestand in de map sources/ van het archief",
                    "a text file in the archive's sources/ folder")))
                continue
        else:
            text = ""
        text = text.lstrip("\ufeff")
        meta = {}
        for vv in _children(source, "VariableValue"):
            ref_elem = _child(vv, "VariableRef")
            var = variables.get(_guid(ref_elem.get("targetGUID"))) if ref_elem is not None else None
            if var:
                meta[var] = _variable_value(vv)
        documents.append({"document": name, "text": text, **meta})
        selections = [(s, int(s.get("startPosition")), int(s.get("endPosition")))
                      for s in _children(source, "PlainTextSelection")]
        whole = [(source, 0, len(text))] if _children(source, "Coding") else []
        for sel, start, end in selections + whole:
            for coding in _children(sel, "Coding"):
                ref_el = _child(coding, "CodeRef")
                target = _guid(ref_el.get("targetGUID")) if ref_el is not None else None
                where = f"{name} {start}-{end}"
                if target not in code_of:
                    problems.append(Problem(shown, None, "CodeRef", f"{where}: {target}", Text(
                        "een code uit het codeboek van het project", "a code from the project's codebook")))
                    continue
                if not 0 <= start < end <= len(text):
                    problems.append(Problem(shown, None, "startPosition", where, Text(
                        f"een stuk binnen de tekst (lengte {len(text)})", f"a selection within the text (length {len(text)})")))
                    continue
                user = _guid(coding.get("creatingUser") or sel.get("creatingUser"))
                coder = users.get(user) or user or "unknown"
                codings.append({"document": name, "start": start, "end": end, "code": code_of[target], "coder": coder})
    errors = [p for p in problems if p.severity == "error"]
    if strict and errors:
        raise InputError(Text(f"{shown}: {len(errors)} codering(en) kloppen niet.",
                              f"{shown}: {len(errors)} coding(s) are broken."), errors)
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
    coders = pl.DataFrame({"coder": list(dict.fromkeys(list(users.values()) + cod["coder"].to_list()))},
                          schema={"coder": pl.Utf8})
    corpus = Corpus.from_tables(docs, cod, codes=codes, coders=coders, name=root.get("name") or shown)
    corpus.problems = problems
    return corpus


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


def write_qdpx(corpus, path: Path | str) -> Path:
    """Write ``corpus`` as a REFI-QDA project (``.qdpx``); returns the path.

    GUIDs are derived from names (uuid5), so the same corpus gives the
    same file. Texts go to ``sources/<guid>.txt`` (UTF-8, LF); document
    metadata become project variables; the code's definition becomes its
    description.
    """
    from lxml import etree

    import impact

    path = Path(path)
    E = lambda tag, **attrs: etree.Element(f"{{{NS}}}{tag}", {k: v for k, v in attrs.items() if v is not None}, nsmap={None: NS})  # noqa: E731
    root = E("Project", name=corpus.name or "impact", origin=f"impact {impact.__version__}")
    coders = corpus.coders["coder"].to_list()
    for c in corpus.codings["coder"].unique().sort().to_list():
        if c not in coders:
            coders.append(c)
    user_guid = {c: _uid("user", c) for c in coders}
    if coders:
        users = etree.SubElement(root, f"{{{NS}}}Users")
        for c in coders:
            etree.SubElement(users, f"{{{NS}}}User", guid=user_guid[c], name=c)
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
        book = etree.SubElement(root, f"{{{NS}}}CodeBook")
        holder = etree.SubElement(book, f"{{{NS}}}Codes")
        placed: set[str] = set()

        def add(parent_elem, parent_code):
            for c in children.get(parent_code, []):
                if c["code"] in placed:
                    continue
                placed.add(c["code"])
                el = etree.SubElement(parent_elem, f"{{{NS}}}Code", guid=code_guid[c["code"]], name=c["code"],
                                      isCodable="false" if c.get("codable") is False else "true")
                if c.get("definition"):
                    etree.SubElement(el, f"{{{NS}}}Description").text = c["definition"]
                add(el, c["code"])

        add(holder, None)
        for c in codes:  # codes in a parent cycle: top level
            if c["code"] not in placed:
                children[None] = [c]
                add(holder, None)
    meta_cols = [c for c in corpus.documents.columns if c not in ("document", "text")]
    var_info = {c: _var_type(corpus.documents.schema[c]) for c in meta_cols}
    if meta_cols:
        variables = etree.SubElement(root, f"{{{NS}}}Variables")
        for col in meta_cols:
            etree.SubElement(variables, f"{{{NS}}}Variable", guid=_uid("variable", col), name=col,
                             typeOfVariable=var_info[col][0])
    files: list[tuple[str, str]] = []
    by_doc: dict[str, list[dict]] = {}
    for row in corpus.codings.sort("document", "start", "end", "code", "coder").iter_rows(named=True):
        by_doc.setdefault(row["document"], []).append(row)
    docs = corpus.documents.to_dicts()
    if docs:
        sources = etree.SubElement(root, f"{{{NS}}}Sources")
        for doc in docs:
            guid = _uid("document", doc["document"])
            src = etree.SubElement(sources, f"{{{NS}}}TextSource", guid=guid, name=doc["document"],
                                   plainTextPath=f"internal://{guid}.txt")
            files.append((f"sources/{guid}.txt", doc["text"] or ""))
            selections: dict[tuple[int, int], list[dict]] = {}
            for row in by_doc.get(doc["document"], []):
                selections.setdefault((row["start"], row["end"]), []).append(row)
            for (start, end), rows in selections.items():
                sel = etree.SubElement(src, f"{{{NS}}}PlainTextSelection", guid=_uid("sel", doc["document"], start, end),
                                       startPosition=str(start), endPosition=str(end))
                for row in rows:
                    cod = etree.SubElement(sel, f"{{{NS}}}Coding",
                                           guid=_uid("coding", doc["document"], start, end, row["code"], row["coder"]),
                                           creatingUser=user_guid[row["coder"]])
                    etree.SubElement(cod, f"{{{NS}}}CodeRef", targetGUID=code_guid[row["code"]])
            for col in meta_cols:
                if doc.get(col) is None:
                    continue
                vv = etree.SubElement(src, f"{{{NS}}}VariableValue")
                etree.SubElement(vv, f"{{{NS}}}VariableRef", targetGUID=_uid("variable", col))
                etree.SubElement(vv, f"{{{NS}}}{var_info[col][1]}").text = _var_text(doc[col], var_info[col][1])
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [("project.qde", xml)] + [(n, t.encode("utf-8")) for n, t in files]:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path
