"""The infographic: hand-counted figures from a toy study, no overlapping text, page sizes, the layout file."""

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


def v_tables(study):
    return ig._tables(study)


def test_key_figures_are_counted_by_hand(study):
    """tests/report_toy.py: 5 started, 2 follow-on jobs, 3 promises; residents reached = 6 distinct
    attendees + 1 resident named at a doorbell = 7 (the 2 doorbells without a name are doorbells, not
    residents); 3 doorbells rung; 2 new volunteers."""
    values = ig.key_values(study, ig.default_layout("nl"), "nl")
    assert [(label, v.figure.compute(v_tables(study))) for label, v in values] == [
        ("buurtbaners gestart", 5), ("kregen een vervolgbaan", 2), ("kregen een belofte van een contract", 3),
        ("bewoners bereikt", 7), ("keer aangebeld", 3), ("nieuwe vrijwilligers", 2)]
    # what the infographic shows, k = 3: 2 and 2 are small; the 3 promises of the 5 who started leave 2
    # who got none, so the 3 is hidden too (x: it is not small itself)
    assert [v.text("nl") for _, v in values] == ["5", "< 3", "x", "7", "3", "< 3"]
    # persons and contacts are never added up: the residents figure is a count of persons
    units = {v.name: v.figure.unit for _, v in values}
    assert units["residents_reached"] == "persons" and units["doorbells_rung"] == "contacts"


def test_circle_stages_districts_themes_and_quotes(study):
    from impact.figures import value

    tables = ig._tables(study)
    # circle: p_bb0 is the one buurtbaner who made contacts (1: small, also for the whole study); 7
    # reached; 6 took part (7 - 6 = 1 would give away the one reached only at the door: hidden); 2
    # volunteers; nobody they activated asked someone else
    circle = [value(name, tables) for name, _ in ig.CIRCLE]
    assert [v.figure.compute(tables) for v in circle] == [1, 7, 6, 2, 0]
    assert [v.text("nl") for v in circle] == ["< 3", "7", "x", "< 3", "0"]
    assert circle[0].attributes()["data-count"] == "persons"
    assert [v.text("nl") for _, v in ig._stage_rows(tables, "nl")] == ["5", "0", "x", "< 3"]
    # West: r0..r4 at activities + r6 at the door = 6; Oost: r5 = 1, below k = 3. Hiding only Oost would
    # let a reader work it out (7 - 6), so West is hidden too.
    assert [(d, v.number, v.hidden) for d, v in ig._district_rows(tables)] == [("Oost", None, True),
                                                                              ("West", None, True)]
    # themes: share of each group's coded interviews (1 informal, 1 formal), both below k: hidden
    themes = ig.top_themes(tables, 3, "nl")
    assert [label for label, _, _ in themes] == ["Erkenning", "Netwerk", "Samenwerking"]
    assert all(v is None or v.hidden for _, a, b in themes for v in (a, b))
    assert ig.pick_quotes(study, ig.default_layout(), "nl") == [
        {"text": "Ik voel me weer nodig in de buurt.", "who": "bewoner"}]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("size", ["a4", "square"])
def test_no_text_overlaps_and_nothing_falls_off_the_page(study, size, lang):
    """Measured with the font's own widths; the browser test measures the rendered SVG too."""
    canvas = ig.draw(study, ig.default_layout(lang), lang, size)
    assert len(canvas.boxes) > 25
    assert canvas.overlaps() == []
    assert canvas.outside(margin=4) == []


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
    assert ("5 buurtbaners gestart, &lt; 3 kregen een vervolgbaan, x kregen een belofte van een contract, "
            "7 bewoners bereikt") in page
    # hidden counts are explained once, and a small one is drawn as a pale bar up to k, never as no bar
    assert "betekent: minder dan 3 personen" in svg and "dit getal laten we weg" in svg
    assert 'stroke-dasharray="2 2"' in svg
    # every number on the page is a figure: its name, unit and value are on the element
    assert 'data-figure="residents_reached" data-unit="persons" data-count="persons" data-value="7"' in svg
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
    text = text.replace('new_volunteers = "nieuwe vrijwilligers"\n', "")
    text = text.replace('doorbells_rung = "keer aangebeld"', 'activities = "activiteiten in de buurt"')
    text += '\n[[quotes]]\ntext = "Zelf gekozen citaat."\nwho = "vrijwilliger"\n'
    layout_file.write_text(text, encoding="utf-8")
    layout = ig.load_layout(study)
    assert layout["title"] == "Onze buurt werkt"
    assert "new_volunteers" not in layout["figures"] and layout["figures"]["activities"] == "activiteiten in de buurt"
    assert ig.pick_quotes(study, layout, "nl") == [{"text": "Zelf gekozen citaat.", "who": "vrijwilliger"}]
    assert ig.describe(study, layout, "nl").startswith("Onze buurt werkt. 5 buurtbaners gestart")
    assert "3 activiteiten in de buurt" in ig.describe(study, layout, "nl")
    # in English: what the team wrote stays as written, what impact wrote is shown in English
    english = ig.load_layout(study, "en")
    assert english["title"] == "Onze buurt werkt"
    assert english["figures"]["activities"] == "activiteiten in de buurt"
    assert english["figures"]["residents_reached"] == "residents reached"
    assert english["subtitle"] == ig.default_layout("en")["subtitle"] != ig.default_layout("nl")["subtitle"]
    # the names of the earlier layout file still work
    layout_file.write_text('[figures]\nbewoners_bereikt = "bereikt"\ndoorgestroomd = "ander werk"\n', encoding="utf-8")
    assert ig.load_layout(study)["figures"] == {"residents_reached": "bereikt", "follow_on_jobs": "ander werk"}
    layout_file.write_text('colors = ["rood"]\n', encoding="utf-8")
    with pytest.raises(StudyError) as err:
        ig.load_layout(study)
    assert "colors: waarde 'rood'" in err.value.render("nl")
    layout_file.write_text('[figures]\nfietsen = "fietsen"\n', encoding="utf-8")
    with pytest.raises(StudyError) as err:
        ig.load_layout(study)
    assert "onbekend kerncijfer 'fietsen'" in err.value.render("nl") and "docs/cijfers.md" in err.value.render("nl")
    layout_file.unlink()


def test_logo_is_embedded_as_data(study):
    import base64

    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    (study.root / "logo.png").write_bytes(png)
    layout = ig.default_layout()
    layout["logo"] = "logo.png"
    uri = ig._logo_data_uri(study, layout)
    svg = ig.infographic_svg(study, layout, "nl", "square", logo=uri)
    assert 'href="data:image/png;base64,' in svg and remote_references(svg) == []
    # bottom right, inside the 30 pt margin of the 600 x 600 page
    assert re.search(r'<image x="490" y="536" width="80" height="40"', svg)
    layout["logo"] = "ontbreekt.png"
    with pytest.raises(StudyError):
        ig._logo_data_uri(study, layout)
