"""The coding widget's logic: load (redacted view), tick, save, propose a code, progress.

Saved files are read back with the plain-text coding path of
``impact.coding`` (``load_codings``), so the two ways of coding are checked
to be one data set; agreement values are computed by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from impact.errors import ImpactError, InputError

coding = pytest.importorskip("impact.coding.markup")

from impact.widget import (  # noqa: E402
    CodingSession,
    append_code,
    check_coder,
    merge_ticks,
    split_ticks,
)

TRANSCRIPT = """---
interview: I01
date: 2023-05-12
interviewer: BB03
interviewee: R0123
actor_type: informal
district: West
consent: ja
---
Interviewer: Hoe kent u Fatima?

Bewoner: Via de maaltijd op dinsdag. Ik wil weer werken.

Interviewer: Wat is er veranderd?

Bewoner: Ik ken nu mijn buren. Fatima belt mij elke week.
"""
# the text (after the header) and its four paragraphs, counted by hand
TEXT = TRANSCRIPT.split("---\n", 2)[2].rstrip("\n")
P = [(0, 31), (33, 89), (91, 124), (126, 183)]

CODEBOOK = """# Het codeboek van de studie. Opmerkingen blijven staan.
codes:
  - code: werk
    definition: Over betaald werk.
    example: "Ik wil weer werken."
    origin: rq1
  - code: contact          # met buren en bewoners
    definition: Contact met mensen in de buurt.
    origin: rq2
    aliases: [netwerk]

# einde van de lijst
"""


def fake_redact(text: str) -> str:
    return text.replace("Fatima", "[naam]")


def make_study(tmp_path: Path) -> object:
    from impact.study import init_study

    study = init_study(tmp_path / "studie", name="Widget-test", districts=["West", "Oost"])
    (study.raw / "transcripts").mkdir(exist_ok=True)
    (study.raw / "transcripts" / "I01.md").write_text(TRANSCRIPT, encoding="utf-8")
    (study.raw / "transcripts" / "I02.md").write_text(
        TRANSCRIPT.replace("I01", "I02").replace("West", "Oost"), encoding="utf-8")
    (study.raw / "transcripts" / "I03.md").write_text(
        TRANSCRIPT.replace("I01", "I03").replace("consent: ja", "consent: nee"), encoding="utf-8")
    (study.raw / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    return study


def session(study, coder="BB03", **kw) -> CodingSession:
    return CodingSession(study, coder, redact=fake_redact, today=lambda: dt.date(2024, 3, 1), **kw)


def read_back(study, coder="BB03", document="I01"):
    """The codings of one coder file, read the way ``impact process`` reads them."""
    from impact.coding import load_codebook, load_codings, load_transcripts

    transcripts, _ = load_transcripts(study)
    book, _ = load_codebook(study)
    table, problems = load_codings(study, transcripts, book)
    assert not [p for p in problems if p.severity == "error"], [p.render("en") for p in problems]
    rows = table.filter((table["coder"] == coder) & (table["document"] == document))
    return sorted(rows.select("start", "end", "code").rows())


def raw_snapshot(study) -> dict:
    return {p: p.read_bytes() for p in study.raw.rglob("*") if p.is_file()}


def test_hand_counted_paragraphs_match_the_text():
    assert [TEXT[s:e] for s, e in P] == [part for part in TEXT.split("\n\n")]


def test_load_shows_redacted_paragraphs_but_saves_the_original_text(tmp_path):
    study = make_study(tmp_path)
    s = session(study)
    assert s.transcripts().rows() == [("I01", "West", "informal"), ("I02", "Oost", "informal")]  # I03: no consent
    assert s.transcripts("oost")["document"].to_list() == ["I02"]
    s.load("I01")
    assert [(p.start, p.end) for p in s.paragraphs] == P
    assert s.paragraphs[0].shown == "Interviewer: Hoe kent u [naam]?"
    assert s.paragraphs[1].speaker == "Bewoner"
    assert "Fatima" not in "".join(p.shown for p in s.paragraphs)
    s.tick(3, "contact")
    path = s.save()
    assert path == study.raw / "codings" / "BB03" / "I01.md"
    body = path.read_text(encoding="utf-8")
    assert "[Bewoner: Ik ken nu mijn buren. Fatima belt mij elke week.]{#contact}" in body
    assert read_back(study) == [(126, 183, "contact")]


def test_tick_untick_save_gives_back_exactly_the_ticked_paragraphs(tmp_path):
    study = make_study(tmp_path)
    before = raw_snapshot(study)
    s = session(study)
    s.load("I01")
    assert s.progress() == (0, 4)
    s.tick(1, "werk")
    s.tick(1, "contact")
    s.tick(3, "netwerk")  # an alias is stored under the current name
    s.tick(2, "werk")
    s.untick(2, "werk")
    assert s.progress() == (2, 4)
    assert s.next_uncoded() == 0 and s.next_uncoded(0) == 2
    s.save()
    assert read_back(study) == [(33, 89, "contact"), (33, 89, "werk"), (126, 183, "contact")]
    # only the coder file is new; no other raw file changed
    after = raw_snapshot(study)
    assert set(after) - set(before) == {study.raw / "codings" / "BB03" / "I01.md"}
    assert all(after[p] == before[p] for p in before)
    # no temporary files are left behind
    assert [p.name for p in (study.raw / "codings" / "BB03").iterdir()] == ["I01.md"]
    # opening again shows the same ticks
    again = session(study)
    again.load("I01")
    assert again.ticks == {0: set(), 1: {"werk", "contact"}, 2: set(), 3: {"contact"}}


def test_markup_written_by_hand_is_kept(tmp_path):
    study = make_study(tmp_path)
    folder = study.raw / "codings" / "BB03"
    folder.mkdir(parents=True)
    hand = TEXT.replace("Ik wil weer werken.", "[Ik wil weer [werken]{#werk}.]{#motivatie_eigen}")
    hand = hand.replace("Interviewer: Wat is er veranderd?", "[Interviewer: Wat is er veranderd?]{#contact}")
    (folder / "I01.md").write_text("---\ninterview: I01   # met de hand\n---\n\n" + hand + "\n", encoding="utf-8")
    s = session(study)
    s.load("I01")
    # the whole-paragraph span is a tick; the spans inside paragraph 2 stay as written
    assert s.ticks[2] == {"contact"}
    assert s.hand_codes(1) == ["motivatie_eigen", "werk"]
    assert s.progress() == (2, 4)
    s.untick(2, "contact")
    s.tick(1, "contact")
    s.save()
    text = (folder / "I01.md").read_text(encoding="utf-8")
    assert text.startswith("---\ninterview: I01   # met de hand\n---\n")
    assert "[Ik wil weer [werken]{#werk}.]{#motivatie_eigen}" in text
    from impact.coding.markup import parse_markup
    from impact.coding.transcripts import split_header

    parsed = parse_markup(split_header(text)[1].strip("\n"))
    assert parsed.text == TEXT
    start = TEXT.index("Ik wil weer werken.")
    assert sorted((c.start, c.end, c.code) for c in parsed.codings) == sorted([
        (33, 89, "contact"), (start, start + 19, "motivatie_eigen"), (start + 12, start + 18, "werk")])


def test_changes_made_elsewhere_meanwhile_are_merged(tmp_path):
    study = make_study(tmp_path)
    first = session(study)
    first.load("I01")
    first.tick(0, "werk")
    first.save()
    mine = session(study)
    mine.load("I01")
    # someone edits the file by hand while the widget is open
    path = study.raw / "codings" / "BB03" / "I01.md"
    edited = path.read_text(encoding="utf-8").replace(
        "Bewoner: Ik ken nu mijn buren.", "Bewoner: Ik ken nu mijn [buren]{#contact}.")
    path.write_text(edited, encoding="utf-8")
    mine.untick(0, "werk")
    mine.tick(1, "werk")
    mine.save()
    start = TEXT.index("buren")
    assert read_back(study) == [(33, 89, "werk"), (start, start + 5, "contact")]


def test_a_broken_coder_file_is_not_overwritten(tmp_path):
    study = make_study(tmp_path)
    folder = study.raw / "codings" / "BB03"
    folder.mkdir(parents=True)
    broken = TEXT.replace("Via de maaltijd", "[Via de maaltijd")  # never closed
    (folder / "I01.md").write_text(broken, encoding="utf-8")
    with pytest.raises(InputError) as info:
        session(study).load("I01")
    assert info.value.problems and info.value.problems[0].row == 3
    changed = TEXT.replace("dinsdag", "woensdag")  # text differs from the transcript
    (folder / "I01.md").write_text(changed, encoding="utf-8")
    with pytest.raises(InputError) as info:
        session(study).load("I01")
    assert "woensdag" in info.value.render("nl") and info.value.problems[0].row == 3
    assert (folder / "I01.md").read_text(encoding="utf-8") == changed


def test_propose_code_appends_to_the_codebook_and_can_be_ticked(tmp_path):
    from impact.coding.codebook import load_codebook

    study = make_study(tmp_path)
    s = session(study, coder="SP07")
    s.load("I01")
    name = s.propose_code("Erbij Horen", "Het gevoel dat je bij de buurt hoort.",
                          example="Ik ken nu mijn buren.", parent="contact")
    assert name == "erbij_horen"
    text = (study.raw / "codebook.yaml").read_text(encoding="utf-8")
    assert text.startswith(CODEBOOK.rstrip("\n").split("\n\n# einde")[0])  # old text unchanged
    assert "# einde van de lijst" in text and "# met buren en bewoners" in text
    book, problems = load_codebook(study)
    assert problems == []
    row = book.filter(book["code"] == "erbij_horen").to_dicts()[0]
    assert (row["origin"], row["proposed_by"], row["date_added"], row["parent"]) == (
        "inductive", "SP07", dt.date(2024, 3, 1), "contact")
    assert row["definition"] == "Het gevoel dat je bij de buurt hoort."
    s.tick(3, "erbij_horen")
    s.save()
    assert read_back(study, "SP07") == [(126, 183, "erbij_horen")]
    with pytest.raises(ImpactError):
        s.propose_code("werk", "dubbel")
    with pytest.raises(ImpactError):
        s.propose_code("netwerk", "een oude naam (alias) van contact")
    with pytest.raises(ImpactError):
        s.propose_code("nieuw", "   ")
    with pytest.raises(ImpactError):
        s.propose_code("a#b", "geen geldige naam")


@pytest.mark.parametrize("source", [
    "",
    "codes: []\n",
    "- code: werk\n",
    "codes:\n- code: werk\n  origin: rq1\nversion: 2\n",
    "name: studie\ncodes:\n    - code: werk\n      example: 'a: b'\n\n    # later meer\nversion: 2\n",
])
def test_append_code_keeps_every_layout_valid(source):
    import yaml

    entry = {"code": "trots", "definition": "Trots op iets: ja.", "origin": "inductive",
             "proposed_by": "BB03", "date_added": dt.date(2024, 3, 1)}
    out = append_code(source, entry)
    data = yaml.safe_load(out)
    codes = data if isinstance(data, list) else data["codes"]
    assert codes[-1] == entry
    old = yaml.safe_load(source) or {}
    old_codes = old if isinstance(old, list) else old.get("codes") or []
    assert codes[:-1] == old_codes
    if isinstance(old, dict):
        assert {k: v for k, v in data.items() if k != "codes"} == {k: v for k, v in old.items() if k != "codes"}
    for line in source.splitlines():
        if line != "codes: []":
            assert line in out.splitlines()


def test_append_code_refuses_a_layout_it_cannot_keep():
    with pytest.raises(ImpactError):
        append_code('codes: [{code: werk}]\n', {"code": "trots"})


def test_split_and_merge_ticks_pure():
    lookup = {"werk": "werk", "contact": "contact", "netwerk": "contact"}
    ticks, kept = split_ticks(P, [(0, 31, "werk"), (0, 31, "netwerk"), (0, 10, "werk"), (33, 89, "onbekend")], lookup)
    assert ticks == {0: {"werk", "contact"}, 1: set(), 2: set(), 3: set()}
    assert kept == [(0, 10, "werk"), (33, 89, "onbekend")]
    assert merge_ticks({0: {"a", "b"}}, {0: {"a"}, 1: {"c"}}, {0: {"a", "b", "d"}}) == {0: {"a", "d"}, 1: {"c"}}


def test_mistakes_are_user_errors(tmp_path):
    study = make_study(tmp_path)
    with pytest.raises(ImpactError):
        check_coder("../etc")
    with pytest.raises(ImpactError):
        check_coder("")
    s = session(study)
    with pytest.raises(ImpactError):
        s.save()  # no interview chosen yet
    with pytest.raises(ImpactError):
        s.load("I99")
    with pytest.raises(ImpactError):
        s.load("I03")  # no consent
    s.load("I01")
    with pytest.raises(ImpactError) as info:
        s.tick(0, "onbekend")
    assert "onbekend" in info.value.render("nl")
    with pytest.raises(ImpactError):
        s.tick(4, "werk")


def test_codings_saved_through_the_widget_appear_in_the_agreement_table(tmp_path):
    """Two coders, four paragraphs, code ``werk``: A = 1 1 0 0, B = 1 0 1 0 (hand-computed).

    Percent agreement 2/4 = 0.5. Cohen's kappa: p_o = 0.5, p_e = 0.5*0.5 + 0.5*0.5 = 0.5, kappa = 0.
    Krippendorff's alpha (nominal; Krippendorff 2011): n = 8 values, n_0 = n_1 = 4,
    o_01 = o_10 = 2, alpha = 1 - (n - 1) * (o_01 + o_10) / (n_0 n_1 + n_1 n_0) = 1 - 7 * 4 / 32 = 0.125.
    """
    from impact.coding import agreement, load_codebook, load_codings, load_transcripts
    from impact.coding.corpus import Corpus

    study = make_study(tmp_path)
    for coder, paragraphs in (("BB03", [0, 1]), ("SP07", [0, 2])):
        s = session(study, coder=coder)
        s.load("I01")
        for i in paragraphs:
            s.tick(i, "werk")
        s.save()
    transcripts, _ = load_transcripts(study)
    book, _ = load_codebook(study)
    codings, _ = load_codings(study, transcripts, book)
    table = agreement(Corpus.from_tables(transcripts, codings, codes=book))
    row = table.filter(table["code"] == "werk").to_dicts()[0]
    assert row["percent_agreement"] == pytest.approx(0.5)
    assert row["cohen_kappa"] == pytest.approx(0.0)
    assert row["krippendorff_alpha"] == pytest.approx(0.125)
    assert row["units"] == 4


def test_scope_sentence(tmp_path):
    from impact.widget import scope

    study = make_study(tmp_path)
    assert scope(study.root, None, "nl") == "Studie: Widget-test. Stadsdeel: alle stadsdelen. Transcripten in de studie: 3."
    assert re.match(r"Study: Widget-test\. District: West\.", scope(study.root, "West", "en"))


# --- the ipywidgets view, driven without a browser -----------------------------------

def test_view_codes_a_paragraph_with_clicks_only(tmp_path):
    pytest.importorskip("ipywidgets")
    from impact.widget import coding_view

    study = make_study(tmp_path)
    view = coding_view(study.root, coder=None, district="West", redact=fake_redact)
    assert view.box.children[0] is view.login_box  # first: type your id
    view.coder_box.value = "BB03"
    view.start_button.click()
    assert [value for _, value in view.interviews.options] == ["I01"]  # district West only
    view.interviews.value = "I01"
    assert "Hoe kent u [naam]?" in view.text.value and "Fatima" not in view.text.value
    assert view.where.value == "Stuk 1 van 4"
    view.next_button.click()
    view.checks["werk"].value = True
    assert view.progress_text.value == "1 van 4 stukken hebben een code."
    view.next_open_button.click()  # saves, then goes to the next paragraph without a code
    assert view.where.value == "Stuk 3 van 4"
    assert read_back(study) == [(33, 89, "werk")]
    view.new_name.value, view.new_meaning.value = "Trots", "Trots zijn op wat je doet."
    view.add_button.click()
    assert "trots" in view.checks and "trots" in view.status.value
    view.checks["trots"].value = True
    view.save_button.click()
    assert "data/raw/codings/BB03/I01.md" in view.status.value
    assert read_back(study) == [(33, 89, "werk"), (91, 124, "trots")]


def test_view_shows_mistakes_in_words_not_tracebacks(tmp_path):
    pytest.importorskip("ipywidgets")
    from impact.widget import coding_view

    study = make_study(tmp_path)
    view = coding_view(study.root, coder="../etc", language="en", redact=fake_redact)
    assert "not a valid coder id" in view.status.value
    view = coding_view(study.root, coder="BB03", redact=fake_redact)
    view.interviews.value = "I01"
    view.new_name.value, view.new_meaning.value = "werk", "bestaat al"
    view.add_button.click()
    assert "bestaat al" in view.status.value and "color:#b00020" in view.status.value
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("Het codeerscherm")


# --- memos ---------------------------------------------------------------------------------

def test_memos_written_in_the_widget_are_valid_memo_files_shown_redacted(tmp_path):
    from impact.coding import load_codebook, load_codings, load_transcripts
    from impact.coding.memos import load_memos

    study = make_study(tmp_path)
    s = session(study)
    s.load("I01")
    s.tick(1, "werk")
    before = raw_snapshot(study)
    doc_memo = s.write_memo("Fatima was er ook bij.\n\n", title="Na het gesprek")
    para_memo = s.write_memo("Hier gaat het om werk.", index=1)
    coding_memo = s.write_memo("Twijfel over deze code.", index=1, code="werk", publish=True)  # saves the tick first
    code_memo = s.write_memo("Werk betekent hier betaald werk.", code="WERK")
    assert [p.name for p in (doc_memo, para_memo, coding_memo, code_memo)] == [
        "2024-03-01-BB03-na-het-gesprek.md", "2024-03-01-BB03-memo.md", "2024-03-01-BB03-memo-2.md",
        "2024-03-01-BB03-memo-3.md"]
    assert doc_memo.read_text(encoding="utf-8") == (
        "---\nauthor: BB03\ndate: 2024-03-01\nabout: document:I01\npublish: nee\ntitle: Na het gesprek\n---\n"
        "Fatima was er ook bij.\n")
    assert "about: coding:I01:33-89:werk\npublish: ja" in coding_memo.read_text(encoding="utf-8")
    # the only raw files that changed: the coder file (the tick) and four new memos
    changed = {p for p in raw_snapshot(study) if before.get(p) != p.read_bytes()}
    assert {p.name for p in changed} == {"I01.md", *(p.name for p in (doc_memo, para_memo, coding_memo, code_memo))}
    # read the way `impact validate` reads them: every memo valid
    transcripts, _ = load_transcripts(study)
    book, _ = load_codebook(study)
    codings, _ = load_codings(study, transcripts, book)
    memos, problems = load_memos(study, transcripts, book, codings, None)
    assert problems == []
    assert memos.select("about_kind", "about", "start", "end", "code", "publish").rows() == [  # by memo id
        ("document", "I01", 33, 89, None, False), ("coding", "I01", 33, 89, "werk", True),
        ("code", "werk", None, None, None, False), ("document", "I01", None, None, None, False)]
    # shown beside the text: paragraph 1 has its passage, coding and the interview's memo; paragraph 3 only the latter
    assert [m["text"] for m in s.memos(1)] == ["[naam] was er ook bij.", "Twijfel over deze code.",
                                               "Hier gaat het om werk."]
    assert {m["text"] for m in s.memos(3)} == {"[naam] was er ook bij."}
    assert [m["text"] for m in s.memos(code="werk")] == ["Werk betekent hier betaald werk."]


def test_memo_mistakes_are_user_errors(tmp_path):
    study = make_study(tmp_path)
    s = session(study)
    with pytest.raises(ImpactError, match="interview"):
        s.write_memo("Iets.")
    s.load("I01")
    with pytest.raises(ImpactError, match="Write something"):
        s.write_memo("   \n ")
    with pytest.raises(ImpactError, match="not in the codebook"):
        s.write_memo("Iets.", code="onbekend")
    with pytest.raises(ImpactError, match="Tick it first"):
        s.write_memo("Iets.", index=0, code="werk")
    assert not (study.raw / "memos").exists() or list((study.raw / "memos").iterdir()) == []


def test_view_writes_a_memo_and_shows_it_beside_the_paragraph(tmp_path):
    pytest.importorskip("ipywidgets")
    from impact.widget import coding_view

    study = make_study(tmp_path)
    view = coding_view(study.root, coder="BB03", redact=fake_redact)
    view.interviews.value = "I01"
    view.next_button.click()
    view.memo_about.value = ("paragraph", None)
    view.memo_text.value, view.memo_publish.value = "Fatima hielp hier.", True
    view.memo_button.click()
    assert "data/raw/memos/" in view.status.value
    assert "[naam] hielp hier." in view.memo_list.value and "Fatima" not in view.memo_list.value
    memo = next((study.raw / "memos").iterdir()).read_text(encoding="utf-8")
    assert "about: document:I01:33-89\npublish: ja" in memo
    # a memo about a code is shown beside that code's meaning
    view.memo_about.value = ("code", "contact")
    view.memo_text.value = "Fatima telt ook als buur."
    view.memo_button.click()
    beside = {box.children[0].description: box.children[1].value for box in view.codes_box.children}
    assert "[naam] telt ook als buur." in beside["contact"] and "telt ook" not in beside["werk"]
