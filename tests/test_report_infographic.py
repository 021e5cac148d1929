"""The infographic: hand-counted figures from a toy study, page sizes, the layout file."""

from __future__ import annotations

import re
import struct

import pytest

from report_toy import make_toy_study

from impact.errors import StudyError
from impact.report import infographic as ig
from impact.report.html import remote_references
from impact.study import Study


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    yield Study.load(make_toy_study(tmp_path_factory.mktemp("info") / "toets"))


def test_key_figures_are_counted_by_hand(study):
    # see tests/report_toy.py: 6 distinct attendees + 1 named doorbell + 2 anonymous doorbells = 9
    assert ig.key_figures(study) == {
        "buurtbaners": 5, "sleutelpersonen": 1, "doorgestroomd": 2, "contractbelofte": 3,
        "activiteiten": 3, "doen_mee": 6, "vrijwilligers": 2, "bewoners_bereikt": 9}


def test_trajectory_reach_themes_and_quotes(study):
    assert ig.trajectory_counts(study) == [("start", 5), ("training", 4), ("certificate", 0),
                                           ("promise_of_contract", 3), ("follow_on_job", 2)]
    # West: r0..r4 at activities, r6 at the door (r0, r1 became volunteers: already counted) = 6;
    # Oost has 1 person, below k = 3, so it is left out and counted as hidden.
    assert ig.reach_by_district(study, k=3) == ([("West", 6)], 1)
    assert ig.top_themes(study) == [("erkenning", "formal", 1), ("erkenning", "informal", 2),
                                    ("netwerk", "informal", 1), ("samenwerking", "formal", 1)]
    assert ig.pick_quotes(study, ig.default_layout(), "nl") == [
        {"text": "Ik voel me weer nodig in de buurt.", "who": "bewoner"}]


def test_infographic_files_have_the_right_size_and_no_outside_references(study):
    paths = ig.make_infographic(study)
    assert sorted(p.name for p in paths) == sorted(ig.INFOGRAPHIC_FILES)
    png = (study.reports / "infographic-a4.png").read_bytes()
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (2479, 3508)  # A4 (595 x 842 pt) at 300 dpi
    phys = png.index(b"pHYs")
    assert struct.unpack(">IIB", png[phys + 4:phys + 13]) == (11811, 11811, 1)  # 300 dpi in dots/metre
    assert struct.unpack(">II", (study.reports / "infographic-square.png").read_bytes()[16:24]) == (2500, 2500)
    assert b"/MediaBox [0 0 595 842]" in (study.reports / "infographic-a4.pdf").read_bytes()
    assert b"/MediaBox [0 0 600 600]" in (study.reports / "infographic-square.pdf").read_bytes()
    svg = (study.reports / "infographic-a4.svg").read_text(encoding="utf-8")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and 'viewBox="0 0 595 842"' in svg
    assert "<title>Buurtbanen: werk in en voor de buurt</title>" in svg
    page = (study.reports / "infographic-a4.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in page and 'role="img"' in page
    assert "5 buurtbaners, 2 naar ander werk, 3 belofte van een contract, 9 bewoners bereikt" in page
    for name in ("infographic-a4.svg", "infographic-a4.html", "infographic-square.html"):
        assert remote_references((study.reports / name).read_text(encoding="utf-8")) == []
    # published files are readable by all, on a web server or a shared folder
    assert {oct(p.stat().st_mode & 0o777) for p in paths} == {"0o644"}


def test_the_infographic_is_drawn_again_only_when_what_it_read_changed(study):
    from impact.report.build import cached_infographic

    paths, made = cached_infographic(study, lang="nl")
    assert made and [p.parent.name for p in paths] == ["nl"] * len(ig.INFOGRAPHIC_FILES)
    before = paths[0].stat().st_mtime_ns
    assert cached_infographic(study, lang="nl") == (paths, False)
    assert paths[0].stat().st_mtime_ns == before
    # the goals table is not on the infographic; the trajectory events are
    goals = study.processed / "goals.parquet"
    goals.write_bytes(b"not read by the infographic")
    assert cached_infographic(study, lang="nl")[1] is False
    goals.unlink()
    events = study.processed / "trajectory_events.parquet"
    original = events.read_bytes()
    import polars as pl

    pl.read_parquet(events).head(4).write_parquet(events)
    try:
        assert cached_infographic(study, lang="nl")[1] is True
    finally:
        events.write_bytes(original)


def test_the_layout_file_is_written_and_can_be_edited(study, tmp_path):
    layout_file = study.root / ig.LAYOUT_NAME
    ig.load_layout(study)
    assert layout_file.is_file()
    text = layout_file.read_text(encoding="utf-8")
    text = text.replace('title = "Buurtbanen: werk in en voor de buurt"', 'title = "Onze buurt werkt"')
    text = text.replace('vrijwilligers = "nieuwe vrijwilligers"\n', "")
    text += '\n[[quotes]]\ntext = "Zelf gekozen citaat."\nwho = "vrijwilliger"\n'
    layout_file.write_text(text, encoding="utf-8")
    layout = ig.load_layout(study)
    assert layout["title"] == "Onze buurt werkt"
    assert "vrijwilligers" not in layout["figures"]
    assert ig.pick_quotes(study, layout, "nl") == [{"text": "Zelf gekozen citaat.", "who": "vrijwilliger"}]
    assert ig.describe(study, layout, "nl").startswith("Onze buurt werkt. 5 buurtbaners")
    layout_file.write_text('colors = ["rood"]\n', encoding="utf-8")
    with pytest.raises(StudyError) as err:
        ig.load_layout(study)
    assert "colors: waarde 'rood'" in err.value.render("nl")
    layout_file.write_text('[figures]\nfietsen = "fietsen"\n', encoding="utf-8")
    with pytest.raises(StudyError) as err:
        ig.load_layout(study)
    assert "onbekend kerncijfer 'fietsen'" in err.value.render("nl")
    layout_file.unlink()


def test_logo_is_embedded_as_data(study):
    import base64

    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    (study.root / "logo.png").write_bytes(png)
    layout = ig.default_layout()
    layout["logo"] = "logo.png"
    uri = ig._logo_data_uri(study, layout)
    svg = ig.place_on_page('<svg width="100" height="50"><rect/></svg>', size="square", background="#fff",
                           logo=uri, title="t", description="d")
    assert 'href="data:image/png;base64,' in svg and remote_references(svg) == []
    # content 100 x 50 on a 600 x 600 page, margin 18: scale capped at 1.25, x = (600 - 125) / 2
    assert re.search(r'<g transform="translate\(237\.50,18\) scale\(1\.25000\)"><rect/></g>', svg)
    layout["logo"] = "ontbreekt.png"
    with pytest.raises(StudyError):
        ig._logo_data_uri(study, layout)
