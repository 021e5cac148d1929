"""The demo study from raw to reports: determinism, no planted personal data
in any output, and a withdrawal that leaves nothing of the person behind."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import polars as pl
import pytest

import impact

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]


def build(root: Path):
    """process + build, as `make demo` does (notebooks from the repository)."""
    if not any((root / "notebooks").glob("*.ipynb")):  # the demo makes an empty notebooks/ folder
        shutil.copytree(REPO / "notebooks", root / "notebooks", dirs_exist_ok=True)
    study = impact.Study.load(root)
    processed = impact.process_study(study)
    from impact.report.build import build_reports

    result = build_reports(study, workers=2)
    result.raise_for_failures()
    return processed, result


@pytest.fixture(scope="module")
def built(tmp_path_factory, demo_root):
    root = tmp_path_factory.mktemp("e2e") / "studie"
    shutil.copytree(demo_root, root)
    processed, result = build(root)
    return root, processed, result


def processed_text(root: Path) -> str:
    """Every string value of every processed table, one per line."""
    parts = []
    for path in sorted((root / "data" / "processed").glob("*.parquet")):
        df = pl.read_parquet(path)
        for name, dtype in df.schema.items():
            if dtype == pl.Utf8:
                parts += [v for v in df[name].drop_nulls().to_list()]
            elif dtype == pl.List(pl.Utf8):
                parts += [x for v in df[name].drop_nulls().to_list() for x in v]
    return "\n".join(parts)


def report_text(root: Path) -> str:
    """All text of every published file: HTML/SVG unescaped, PDF pages as text."""
    import html

    from impact.privacy.guard import _pdf_pages

    parts = []
    for p in sorted((root / "reports").rglob("*")):
        if p.suffix == ".pdf":
            parts += _pdf_pages(p)
        elif p.is_file() and p.suffix != ".png":
            parts.append(html.unescape(p.read_text(encoding="utf-8", errors="replace")))
    return "\n".join(parts)


def register(root: Path) -> list[dict]:
    text = (root / "data" / "raw" / "people.csv").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def private_values(root: Path) -> list[str]:
    """Every planted value and every full name, phone, e-mail and street address of the register."""
    planted = json.loads((root / "data" / "raw" / "_planted_pii.json").read_text(encoding="utf-8"))
    values = {v for kind, vs in planted.items() if kind != "age" for v in vs}
    for person in register(root):
        values |= {person["name"], person["phone"], person["email"], person["address"].split(",")[0]}
    return sorted(v for v in values if v and len(v) > 3)


def test_process_twice_gives_identical_files(built, tmp_path):
    root, _, _ = built
    first = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted((root / "data" / "processed").glob("*.parquet"))}
    impact.process_study(impact.Study.load(root))
    again = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted((root / "data" / "processed").glob("*.parquet"))}
    assert first == again and len(first) >= 12


def test_no_planted_personal_data_reaches_processed_or_reports(built):
    root, processed, result = built
    assert processed.redactions > 50
    assert (root / "reports" / "index.html").is_file()
    values = private_values(root)
    assert len(values) > 1000
    data, reports = processed_text(root), report_text(root)
    assert len(data) > 100_000 and len(reports) > 10_000
    leaked = [v for v in values if v in data]
    assert leaked == [], f"in data/processed: {leaked[:10]}"
    leaked = [v for v in values if v in reports]
    assert leaked == [], f"in reports/: {leaked[:10]}"
    # the planted ages (short: '51 jaar') are checked in the redacted texts too
    planted = json.loads((root / "data" / "raw" / "_planted_pii.json").read_text(encoding="utf-8"))
    texts = "\n".join(pl.read_parquet(root / "data" / "processed" / "transcripts.parquet")["text"])
    assert [a for a in planted["age"] if re.search(rf"\b{re.escape(a)}\b", texts)] == []
    # and the guard, run on the published folder, finds nothing
    from impact.privacy import check_publish, register_values

    names, extra = register_values(impact.Study.load(root))
    assert check_publish(sorted((root / "reports").glob("*")), names=names, values=extra) == []


def test_only_memos_marked_for_publication_reach_the_reports(built):
    """The demo's memos: the three marked ``publish: ja`` are listed in notebook 05's report (the one about a
    step also on the chain page), no sentence of the two others is anywhere in reports/."""
    root, _, _ = built
    reports = " ".join(report_text(root).split())
    memos = pl.read_parquet(root / "data" / "processed" / "memos.parquet")
    published, secret = memos.filter(pl.col("publish")), memos.filter(~pl.col("publish"))
    assert published.height == 3 and secret.height == 2
    for text in published["text"]:
        assert " ".join(text.split()) in reports
    sentences = [s for text in secret["text"] for s in re.split(r"(?<=[.;])\s+", " ".join(text.split()))]
    assert len(sentences) >= 4
    assert [s for s in sentences if s in reports] == []


def test_withdrawal_removes_everything_of_that_person(tmp_path, demo_root):
    root = tmp_path / "studie"
    shutil.copytree(demo_root, root)
    raw = root / "data" / "raw"
    # an interviewee who also answered questionnaires: much to remove
    heads = {p.stem: p.read_text(encoding="utf-8") for p in sorted((raw / "transcripts").glob("*.md"))}
    interviewees = {doc: re.search(r"^interviewee:\s*(\S+)", t, re.M).group(1) for doc, t in heads.items()}
    answered = set()
    for f in (raw / "responses").rglob("*.csv"):
        answered |= set(re.findall(r"^(\w+),", f.read_text(encoding="utf-8"), re.M))
    doc, pid = next((d, p) for d, p in sorted(interviewees.items()) if p in answered)
    person = next(p for p in register(root) if p["person_id"] == pid)

    consent = raw / "consent.csv"
    text = consent.read_text(encoding="utf-8")
    assert re.search(rf"^{pid},.*,$", text, re.M), "the chosen person had not withdrawn yet"
    consent.write_text(re.sub(rf"^({pid},.*),$", r"\1,01-06-2024", text, flags=re.M), encoding="utf-8")

    processed, result = build(root)
    pseudo = impact.pseudonym(pid, impact.privacy.DEMO_KEY)
    # their interview, and their open answers (each a document too)
    assert processed.withdrawn.get("transcripts", 0) >= 1 and processed.withdrawn.get("responses", 0) > 0
    data = processed_text(root)
    assert pseudo not in data
    transcripts = pl.read_parquet(root / "data" / "processed" / "transcripts.parquet")
    assert doc not in transcripts["document"].to_list()
    assert doc not in pl.read_parquet(root / "data" / "processed" / "codings.parquet")["document"].to_list()
    reports = report_text(root)
    for value in (person["name"], person["phone"], pseudo, heads[doc].split("---")[-1].strip()[60:120]):
        assert value not in reports
    assert "transcripts" in pl.read_parquet(root / "data" / "processed" / "withdrawals.parquet")["table"].to_list()
