"""The synthetic demo study: deterministic, calibrated to the public figures, readable, marked synthetic.

Public figures (Amsterdam buurtbaan scheme 2021-2023, see /work/shared/DOMAIN.md):
26 planned posts over 7 districts, 33 key persons placed (3 via a new
application), 5 follow-on jobs, 10 promises of a permanent contract,
32 hours a week of which 8 training and coaching, at most two years.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path

import pytest

import impact
from impact import demo
from impact.tabular import read_table


def rows(root: Path, name: str, required=("person_id",)):
    return read_table(root / "data" / "raw" / name, required=list(required)).rows


def all_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- determinism ---------------------------------------------------------------------------------

def test_same_seed_gives_identical_bytes_in_two_folders(tmp_path, demo_root):
    again = impact.make_demo(tmp_path / "tweede")
    first, second = all_files(demo_root), all_files(again)
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []
    assert "data/raw/activities.xlsx" in first


def test_another_seed_gives_other_data(tmp_path, demo_root):
    other = impact.make_demo(tmp_path / "ander", seed=7)
    for name in ("data/raw/people.csv", "data/raw/contacts.csv", "data/raw/transcripts/I01.md"):
        assert (other / name).read_bytes() != (demo_root / name).read_bytes(), name


def test_a_second_run_into_the_same_demo_folder_replaces_it(tmp_path):
    root = impact.make_demo(tmp_path / "demo", seed=7)
    (root / "data" / "raw" / "transcripts" / "I99.md").write_text("oud", encoding="utf-8")
    impact.make_demo(root)
    assert not (root / "data" / "raw" / "transcripts" / "I99.md").exists()


def test_a_real_study_is_never_overwritten(tmp_path):
    study = impact.init_study(tmp_path / "echt", name="Echte studie")
    before = (study.root / "impact.toml").read_bytes()
    with pytest.raises(impact.ImpactError) as err:
        impact.make_demo(study.root)
    assert "echte studie" in err.value.text("nl")
    assert (study.root / "impact.toml").read_bytes() == before


# --- calibration -------------------------------------------------------------------------------

def test_people_match_the_public_figures(demo_root):
    people = rows(demo_root, "people.csv")
    roles = Counter(r["role"] for r in people)
    assert roles["buurtbaner"] == 33
    assert {r["district"] for r in people if r["role"] == "buurtbaner"} == {
        "Centrum", "Nieuw-West", "Noord", "Oost", "West", "Zuid", "Zuidoost"}
    assert roles["bewoner"] >= 300 and roles["vrijwilliger"] > 0 and roles["formele_actor"] > 0
    assert len({r["person_id"] for r in people}) == len(people)
    assert len({r["name"] for r in people}) == len(people)
    ids = {r["person_id"] for r in people}
    assert all(re.fullmatch(r"BB\d\d|SP\d\d|R\d{4}|V\d{3}|F\d\d", i) for i in ids)


def test_trajectories_match_the_public_figures(demo_root):
    events = rows(demo_root, "trajectory_events.csv")
    by_kind = defaultdict(set)
    for e in events:
        by_kind[e["kind"]].add(e["person_id"])
    assert len(by_kind["start"]) == 33
    assert len(by_kind["follow_on_job"]) == 5
    assert len(by_kind["promise_of_contract"]) == 10
    assert not by_kind["follow_on_job"] & by_kind["promise_of_contract"]
    starts = {e["person_id"]: dt.date.fromisoformat(e["date"]) for e in events if e["kind"] == "start"}
    # 30 in the first round (autumn 2021), 3 later via a new application
    assert sum(d >= dt.date(2022, 1, 1) for d in starts.values()) == 3
    for e in events:
        d = dt.date.fromisoformat(e["date"])
        assert dt.date(2021, 9, 1) <= d <= dt.date(2023, 12, 31)
        assert (d - starts[e["person_id"]]).days < 2 * 366, "at most two years"


def test_training_and_coaching_fill_at_most_eight_of_32_hours_a_week(demo_root):
    events = rows(demo_root, "trajectory_events.csv")
    assert all("32 uur per week, waarvan 8 uur" in e["note"] for e in events if e["kind"] == "start")
    hours, first, last = defaultdict(float), {}, {}
    for e in events:
        pid, d = e["person_id"], dt.date.fromisoformat(e["date"])
        if e["kind"] == "start":
            first[pid] = d
        if e["kind"] in ("end", "drop_out"):
            last[pid] = d
        if e["kind"] in ("training", "coaching"):
            hours[pid] += float(e["hours"])
    assert sorted(first) == sorted(last)
    for pid in first:
        weeks = ((last[pid] - first[pid]).days + 1) / 7
        per_week = hours[pid] / weeks
        assert 5.5 <= per_week <= 8.05, (pid, per_week)


def test_goals_are_scored_minus2_to_2_one_to_five_goals_each(demo_root):
    goals = read_table(demo_root / "data/raw/goals.csv", required=["person_id", "goal_id"]).rows
    per_person = defaultdict(set)
    for g in goals:
        per_person[g["person_id"]].add(int(g["goal_id"]))
        assert -2 <= int(g["level"]) <= 2
    assert len(per_person) == 33
    assert all(1 <= len(v) <= 5 for v in per_person.values())
    # goals.csv must survive being saved by Excel as Windows-1252
    (demo_root / "data/raw/goals.csv").read_text(encoding="utf-8").encode("cp1252")


def test_reach_has_hundreds_of_residents_and_ripples_of_volunteers(demo_root):
    attendance = rows(demo_root, "attendance.csv")
    assert len({a["person_id"] for a in attendance}) >= 200
    contacts = read_table(demo_root / "data/raw/contacts.csv", required=["from_person", "kind"]).rows
    kinds = Counter(c["kind"] for c in contacts)
    assert set(kinds) == {"doorbell", "conversation", "match", "referral", "volunteer_activated"}
    assert all(c["to_organisation"] for c in contacts if c["kind"] == "referral")
    activated = {c["to_person"]: c["from_person"] for c in contacts if c["kind"] == "volunteer_activated"}

    def generation(p):
        return 1 + generation(activated[p]) if p in activated else 0

    gens = Counter(generation(v) for v in activated)
    assert gens[1] > gens[2] > gens[3] > 0
    # every volunteer activated by a volunteer was activated before doing so
    when = {c["to_person"]: c["date"] for c in contacts if c["kind"] == "volunteer_activated"}
    for c in contacts:
        if c["kind"] == "volunteer_activated" and c["from_person"] in when:
            assert when[c["from_person"]] < c["date"]


def test_first_time_marks_follow_the_calendar(demo_root):
    import openpyxl

    ws = openpyxl.load_workbook(demo_root / "data/raw/activities.xlsx").worksheets[0]
    table = list(ws.iter_rows(values_only=True))
    assert table[0][0].startswith("SYNTHETISCHE")
    header = list(table[1])
    acts = {r[0]: dict(zip(header, r)) for r in table[2:]}
    assert {a["kind"] for a in acts.values()} == {"spreekuur", "maaltijd", "wandelgroep", "taalles",
                                                  "computerles", "evenement"}
    firsts = defaultdict(list)
    for a in rows(demo_root, "attendance.csv"):
        firsts[a["person_id"]].append((acts[a["activity_id"]]["date"], a["activity_id"], a["first_time"]))
    for visits in firsts.values():
        marks = [f for _, _, f in sorted(visits)]
        assert marks == ["ja"] + ["nee"] * (len(marks) - 1)
    for a in acts.values():
        assert 0 <= a["first_time_attendees"] <= a["attendees"]


def test_questionnaire_answers_rise_over_three_waves(demo_root):
    folder = demo_root / "data/raw/responses/buurtbaners"
    waves = {w: {r["respondent"]: r for r in read_table(folder / f"meting_{w}.csv", required=["respondent"]).rows}
             for w in (1, 2, 3)}
    assert len(waves[1]) == 33 and len(waves[1]) > len(waves[2]) > 0 and len(waves[3]) > 0
    both = sorted(set(waves[1]) & set(waves[3]))
    steps = [int(waves[3][p]["ladder"]) - int(waves[1][p]["ladder"]) for p in both]
    assert sum(s > 0 for s in steps) / len(steps) >= 0.6 and min(steps) >= 0
    se = [statistics.mean(int(waves[w][p]["se_1"]) for p in both) for w in (1, 3)]
    assert se[1] > se[0]
    items = [c for c in waves[1][both[0]] if re.fullmatch(r"(se|net|fin|wb)_\d", c)]
    assert len(items) == 16
    assert all(1 <= int(r[i]) <= 5 for w in waves.values() for r in w.values() for i in items)
    opens = [r["verandering"] for r in waves[3].values()]
    assert any(opens) and not all(opens)
    residents = read_table(demo_root / "data/raw/responses/bewoners/meting_1.csv", required=["respondent"]).rows
    assert len(residents) >= 100 and any(r["tevreden"] == "" for r in residents)


def test_raw_files_load_without_any_problem(demo_root):
    """The registers, answers, transcripts, codebook and codings pass every check of the readers."""
    from impact import registers as rg
    from impact.coding import load_codebook, load_codings, load_transcripts
    from impact.questionnaires import load_study_responses

    study = impact.Study.load(demo_root)
    assert study.config.synthetic and study.config.privacy.demo_key
    problems, loaded = [], {}
    for spec in rg.REGISTERS:
        loaded[spec.name] = rg.load_register(study.raw, spec, study.config.districts, study.root)
    rg.check_references(loaded, {k[0] for k in loaded["people"].keys_seen})
    for item in loaded.values():
        problems += item.problems
    responses, found = load_study_responses(study)
    problems += found
    transcripts, found = load_transcripts(study)
    problems += found
    codebook, found = load_codebook(study)
    problems += found
    # open answers are documents beside the transcripts, as in ``impact process``
    from impact.coding.answers import study_documents

    documents = study_documents(study, transcripts, responses, loaded["people"].records)
    codings, found = load_codings(study, documents, codebook)
    problems += found
    assert [p.render("en") for p in problems] == []
    assert responses.height > 1000 and transcripts.height == 24 and codebook.height >= 18
    assert set(codings["coder"].unique()) == set(demo.CODERS)
    assert codings.filter(codings["document"].str.starts_with("answer:")).height > 200


# --- interviews and coding ---------------------------------------------------------------------

def _transcripts(root):
    from impact.coding.transcripts import parse_transcript

    return {p.stem: parse_transcript(p.read_text(encoding="utf-8")) for p in
            sorted((root / "data/raw/transcripts").glob("*.md"))}


def test_transcripts_are_interviews_held_by_coresearchers(demo_root):
    from impact.coding.transcripts import text_units

    docs = _transcripts(demo_root)
    assert 20 <= len(docs) <= 28
    coresearchers = {r["person_id"] for r in rows(demo_root, "people.csv") if r["coresearcher"] == "ja"}
    actor_types = Counter()
    for doc in docs.values():
        assert doc.header["interviewer"] in coresearchers
        actor_types[doc.header["actor_type"]] += 1
        turns = text_units(doc.text, "turn")
        assert 15 <= len(turns) <= 40
        assert all(t["speaker"] for t in turns)
        assert not re.search(r"[\[\]{}\\]", doc.text)
    assert actor_types["informal"] > actor_types["formal"] > 5


def strip_markup(text: str) -> str:
    """Remove ``[`` and ``]{#codes}``: the transcripts hold no brackets of their own."""
    return re.sub(r"\]\{[^}]*\}", "", text).replace("[", "")


def test_every_coded_copy_strips_to_its_transcript(demo_root):
    from impact.coding.markup import parse_markup
    from impact.coding.transcripts import split_header

    docs = _transcripts(demo_root)
    folders = sorted(p.name for p in (demo_root / "data/raw/codings").iterdir())
    assert folders == sorted(demo.CODERS)
    nested = 0
    for coder in folders:
        files = sorted(f for f in (demo_root / "data/raw/codings" / coder).glob("*.md")
                       if not f.name.startswith("answers__"))  # sheets of open answers: tested below
        assert [f.stem for f in files] == sorted(docs)
        for f in files:
            _, body, _ = split_header(f.read_text(encoding="utf-8"))
            body = body.strip("\n")
            assert strip_markup(body) == docs[f.stem].text
            parsed = parse_markup(body)
            assert parsed.text == docs[f.stem].text and parsed.codings
            nested += len(re.findall(r"\[[^\]]*\[", body))
    assert nested > 0, "some spans nest"


def test_two_coders_agree_realistically(demo_root):
    """Krippendorff's alpha (nominal) per code on paragraphs, computed with the krippendorff package."""
    import krippendorff
    import numpy as np

    from impact.coding.markup import parse_markup
    from impact.coding.transcripts import split_header, text_units

    docs = _transcripts(demo_root)
    present = defaultdict(lambda: defaultdict(set))  # code -> coder -> {(doc, unit)}
    units = []
    for name, doc in docs.items():
        paras = text_units(doc.text, "paragraph")
        units += [(name, i) for i in range(len(paras))]
        starts = [u["start"] for u in paras]
        for coder in demo.CODERS:
            _, body, _ = split_header((demo_root / "data/raw/codings" / coder / f"{name}.md").read_text("utf-8"))
            for c in parse_markup(body.strip("\n")).codings:
                i = max(k for k, s in enumerate(starts) if s <= c.start)
                present[c.code][coder].add((name, i))
    alphas = {}
    for code, by in present.items():
        data = np.array([[u in by[c] for u in units] for c in demo.CODERS], dtype=float)
        if data.sum() >= 8:
            alphas[code] = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert len(alphas) >= 15
    assert 0.55 <= statistics.median(alphas.values()) <= 0.85, alphas
    assert all(0.3 <= a <= 0.95 for a in alphas.values()), alphas
    assert min(alphas.values()) < 0.7, "some codes are harder than others"


def test_open_answers_are_coded_by_both_coders_on_sheets_that_strip_to_the_answers(demo_root):
    """Every open question and wave has a sheet per coder; removing the markup gives the answers back."""
    from impact.coding.answers import answer_text
    from impact.coding.sheets import parse_sheet_name
    from impact.coding.markup import parse_markup
    from impact.coding.transcripts import split_header

    sheets = {c: sorted(p.stem for p in (demo_root / "data/raw/codings" / c).glob("answers__*.md")) for c in demo.CODERS}
    assert sheets[demo.CODERS[0]] == sheets[demo.CODERS[1]]
    assert {parse_sheet_name(s)[:2] for s in sheets[demo.CODERS[0]]} == set(tx_open())
    folder = demo_root / "data/raw/responses"
    coded = Counter()
    for stem in sheets[demo.CODERS[0]]:
        instrument, item, wave = parse_sheet_name(stem)
        answers = {r["respondent"]: answer_text(r[item]) for r in
                   read_table(folder / instrument / f"meting_{wave}.csv", required=["respondent"]).rows
                   if answer_text(r[item])}
        for coder in demo.CODERS:
            _, body, _ = split_header((demo_root / "data/raw/codings" / coder / f"{stem}.md").read_text("utf-8"))
            blocks = re.split(r"^## (\S+)\n", body.strip("\n"), flags=re.M)[1:]
            got = dict(zip(blocks[::2], (b.strip("\n") for b in blocks[1::2])))
            assert sorted(got) == sorted(answers)
            for person, markup in got.items():
                parsed = parse_markup(markup)
                assert parsed.text == answers[person]
                coded[coder] += len(parsed.codings)
    assert all(n >= 100 for n in coded.values()), coded


def tx_open():
    from impact import demo_text

    return demo_text.OPEN_QUESTIONS


def test_codebook_is_hierarchical_with_origins_aliases_and_coresearchers(demo_root):
    from impact.coding import load_codebook

    book, problems = load_codebook(impact.Study.load(demo_root))
    assert problems == [] and 18 <= book.height <= 25
    assert set(book["origin"]) == {"rq1", "rq2", "rq3", "inductive"}
    assert book["parent"].drop_nulls().len() >= 12
    assert sum(len(a) for a in book["aliases"]) >= 5
    assert set(demo.CODERS) <= set(book["proposed_by"])
    # every code has a label for readers, in Dutch and English, without underscores
    assert book["label"].null_count() == 0 and book["label_en"].null_count() == 0
    assert not any("_" in label for label in book["label"].to_list() + book["label_en"].to_list())


def test_msc_stories_with_a_few_panel_choices(demo_root):
    stories = read_table(demo_root / "data/raw/msc_stories.csv", required=["story_id"]).rows
    assert 7 <= len(stories) <= 10
    chosen = [s for s in stories if s["panel_choice"] == "ja"]
    assert 2 <= len(chosen) <= 4 and all(s["panel_reasons"] for s in chosen)


# --- privacy test material and marking --------------------------------------------------------

def test_planted_personal_data_really_occurs_in_the_raw_files(demo_root):
    from stdnum import iban

    raw = demo_root / "data" / "raw"
    planted = json.loads((raw / "_planted_pii.json").read_text(encoding="utf-8"))
    assert {"name", "phone", "email", "address", "age", "iban"} <= set(planted)
    texts = {p: p.read_text(encoding="utf-8") for p in sorted(raw.rglob("*"))
             if p.suffix in (".md", ".csv") and p.parent.name != "codings"}
    transcripts = "\n".join(t for p, t in texts.items() if p.parent.name == "transcripts")
    people = (raw / "people.csv").read_text(encoding="utf-8")
    for kind, values in planted.items():
        assert values, kind
        for v in values:
            assert any(v in t for p, t in texts.items() if p.name != "people.csv"), (kind, v)
            if kind in ("name", "phone", "email"):
                assert v in people, (kind, v)  # the register knows it, so redaction can find it
    assert all(iban.is_valid(v) for v in planted["iban"])
    assert all(re.fullmatch(r"06-\d{8}", v) for v in planted["phone"])
    assert all(v.endswith(("example.com", "example.org", "example.net")) for v in planted["email"])
    assert all(re.search(rf"Ik ben {v}\b", transcripts) for v in planted["age"])


def test_every_file_says_it_is_synthetic(demo_root):
    import openpyxl

    assert "synthetic = true" in (demo_root / "impact.toml").read_text(encoding="utf-8")
    raw = demo_root / "data" / "raw"
    checked = 0
    for p in sorted(raw.rglob("*")):
        if not p.is_file() or p.name == "_planted_pii.json":
            continue
        if p.suffix == ".xlsx":
            first = openpyxl.load_workbook(p).worksheets[0]["A1"].value
        else:
            head = p.read_text(encoding="utf-8").splitlines()[:3]
            first = " ".join(head)
        assert "SYNTHETISCHE DEMO-GEGEVENS" in first, p
        if p.suffix == ".md":
            assert "synthetic: true" in first, p
        checked += 1
    assert checked == len([p for p in raw.rglob("*") if p.is_file()]) - 1


def test_the_shipped_questionnaires_are_copied_byte_for_byte(demo_root):
    template = Path(impact.__file__).parent / "study_template" / "questionnaires"
    shipped = {str(p.relative_to(template)): p.read_bytes() for p in sorted(template.rglob("*")) if p.is_file()}
    assert "buurtbaners.xlsx" in shipped and "bewoners.xlsx" in shipped
    for name, data in shipped.items():
        assert (demo_root / "questionnaires" / name).read_bytes() == data


def test_the_demo_writes_markup_with_the_shared_writer_which_nests_and_merges_equal_spans():
    from impact.coding.markup import write_markup

    assert demo.codings.write_markup is write_markup
    text = "Ik wil werken, echt."
    got = write_markup(text, [(0, 20, "motivatie"), (7, 13, "werk"), (7, 13, "leren"), (15, 19, "x")])
    assert got == "[Ik wil [werken]{#leren #werk}, [echt]{#x}.]{#motivatie}"
    assert strip_markup(got) == text


# --- scale (benchmarks) --------------------------------------------------------------------------

def _scale_volumes(raw: Path, instruments=("buurtbaners", "bewoners")) -> dict[str, int]:
    """Characters of the transcripts, coding rows, answers (rows x items) and attendance rows."""
    answers = 0
    for path in sorted(p for i in instruments for p in (raw / "responses" / i).glob("*.csv")):
        table = read_table(path, required=["respondent"])
        items = [c for c in table.columns if c not in ("respondent", "wave", "date")]
        answers += len(table.rows) * len(items)
    return {"characters": sum(len(p.read_text(encoding="utf-8")) for p in (raw / "transcripts").glob("*.md")),
            "codings": sum(len(read_table(p, required=["document", "code"]).rows)
                           for p in (raw / "codings").glob("*.csv")),
            "answers": answers,
            "attendance": len(read_table(raw / "attendance.csv", required=["activity_id", "person_id"]).rows)}


def test_scale_makes_a_proportionally_larger_study_that_still_reads_cleanly(tmp_path):
    """At scale s: about s * 10 million characters of transcripts, s * 500,000 codings by two coders,
    at least s * 100,000 answers and about s * 1,000,000 attendance rows (activities as CSV)."""
    from impact import registers as rg

    scale = 0.05
    root = impact.make_demo(tmp_path / "groot", scale=scale)
    raw = root / "data" / "raw"
    assert not (raw / "activities.xlsx").exists()
    got = _scale_volumes(raw)
    assert len(list((raw / "transcripts").glob("*.md"))) == round(scale * 1_000)
    assert 0.9 * scale * 10_000_000 <= got["characters"] <= 1.1 * scale * 10_000_000
    assert 0.9 * scale * 500_000 <= got["codings"] <= 1.1 * scale * 500_000
    assert got["answers"] >= scale * 100_000
    assert 0.85 * scale * 1_000_000 <= got["attendance"] <= 1.15 * scale * 1_000_000
    attendance = read_table(raw / "attendance.csv", required=["activity_id", "person_id"]).rows
    assert len({(a["activity_id"], a["person_id"]) for a in attendance}) == len(attendance)
    study = impact.Study.load(root)
    loaded = {spec.name: rg.load_register(study.raw, spec, study.config.districts, study.root)
              for spec in rg.REGISTERS}
    rg.check_references(loaded, {k[0] for k in loaded["people"].keys_seen})
    assert [p.render("en") for item in loaded.values() for p in item.problems] == []
    for p in sorted(raw.rglob("*.csv")):
        assert p.read_text(encoding="utf-8").startswith("# SYNTHETISCHE DEMO-GEGEVENS"), p
    again = impact.make_demo(tmp_path / "nog-eens", scale=scale)
    for name in ("attendance.csv", "codings/BB03.csv", "codings/BB07.csv", "transcripts/I07.md"):
        assert (again / "data/raw" / name).read_bytes() == (raw / name).read_bytes(), name


def test_scale_codings_are_known_codes_on_nested_spans_and_the_coders_disagree_realistically(tmp_path):
    """The coding tables of a large study pass the readers' checks, never cross (markup could hold them)
    and give an agreement like real coders (alpha between 0.6 and 0.8 over paragraphs)."""
    from impact.coding.codebook import load_codebook
    from impact.coding.codings import load_codings
    from impact.coding.corpus import Corpus
    from impact.coding.reliability import OVERALL, agreement
    from impact.coding.transcripts import load_transcripts

    study = impact.Study.load(impact.make_demo(tmp_path / "groot", scale=0.05))
    transcripts, problems = load_transcripts(study)
    assert problems == []
    codebook, problems = load_codebook(study)
    assert problems == []
    codings, problems = load_codings(study, transcripts, codebook)
    assert [p.render("en") for p in problems] == []
    assert set(codings["code"].to_list()) <= set(codebook["code"].to_list())
    assert sorted(set(codings["coder"].to_list())) == sorted(demo.CODERS)
    texts = dict(zip(transcripts["document"].to_list(), transcripts["text"].to_list()))
    for (doc, coder), part in codings.group_by("document", "coder"):
        spans = list(zip(part["start"].to_list(), part["end"].to_list(), part["code"].to_list()))
        # spans that cross are split and labelled (+1) by the writer: the demo's never cross
        assert not re.search(r"\+\d+\}", demo.codings.write_markup(texts[doc], spans)), doc
    # densely coded: most spans carry a second code (the parent or a related code)
    per_span = codings.group_by("document", "coder", "start", "end").len()["len"]
    assert per_span.mean() > 1.5
    table = agreement(Corpus.from_tables(transcripts, codings))
    alpha = table.filter(table["code"] == OVERALL)["krippendorff_alpha"][0]
    assert 0.6 <= alpha <= 0.8


def test_scale_volumes_grow_linearly(tmp_path):
    """Twice the scale, twice every volume (within 10 %); the buurtbaners' answers stay those of the 33
    buurtbaners of the scheme, so answers count the residents' questionnaire."""
    small = _scale_volumes(impact.make_demo(tmp_path / "klein", scale=0.05) / "data" / "raw", ("bewoners",))
    large = _scale_volumes(impact.make_demo(tmp_path / "groot", scale=0.1) / "data" / "raw", ("bewoners",))
    for key in small:
        assert 1.8 <= large[key] / small[key] <= 2.2, (key, small[key], large[key])


def test_scale_must_be_positive(tmp_path):
    with pytest.raises(impact.ImpactError):
        impact.make_demo(tmp_path / "x", scale=0)
