"""impact.report.rendercache: a kept drawing is the drawing vl-convert makes, and is used only for its input."""

from __future__ import annotations

import pytest

from impact.report import rendercache as rc

vl_convert = pytest.importorskip("vl_convert")


def spec(values):
    return {"data": {"values": [{"kind": k, "n": n} for k, n in values]}, "mark": "bar", "width": 200,
            "encoding": {"y": {"field": "kind", "type": "nominal"}, "x": {"field": "n", "type": "quantitative"}}}


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """An empty memory, results kept in ``tmp_path``."""
    monkeypatch.setattr(rc, "_memory", type(rc._memory)())
    monkeypatch.setenv(rc.FOLDER_ENV, str(tmp_path))
    return tmp_path


def test_a_kept_drawing_is_the_one_vl_convert_makes(fresh, monkeypatch):
    one, other = spec([("a", 3), ("b", 5)]), spec([("a", 3), ("b", 6)])
    options = {"format_locale": "nl-NL", "time_format_locale": "nl-NL"}
    rc.start()
    first = rc.vegalite_to_svg(one, **options)
    assert first == vl_convert.vegalite_to_svg(one, **options)
    # from memory, then from disk in a "new process" (memory emptied): the same picture, vl-convert not asked
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda *a, **k: pytest.fail("drawn again"))
    assert rc.vegalite_to_svg(one, **options) == first
    rc._memory.clear()
    assert rc.vegalite_to_svg(dict(reversed(list(one.items()))), **options) == first  # key order is no change
    monkeypatch.undo()
    monkeypatch.setenv(rc.FOLDER_ENV, str(fresh))
    # one changed number, or another option, is another drawing
    changed = rc.vegalite_to_svg(other, **options)
    assert changed != first and changed == vl_convert.vegalite_to_svg(other, **options)
    english = rc.vegalite_to_svg(one, format_locale="en-GB", time_format_locale="en-GB")
    assert english == vl_convert.vegalite_to_svg(one, format_locale="en-GB", time_format_locale="en-GB")
    assert len(rc.used()) == 3 and sorted(p.name for p in fresh.iterdir()) == rc.used()


def test_png_and_pdf_are_kept_per_svg_and_options(fresh):
    svg = rc.vegalite_to_svg(spec([("a", 1)]))
    assert rc.svg_to_png(svg, scale=1) == vl_convert.svg_to_png(svg, scale=1)
    assert rc.svg_to_png(svg, scale=2) == vl_convert.svg_to_png(svg, scale=2)
    assert rc.svg_to_pdf(svg)[:5] == b"%PDF-"
    assert {p.suffix for p in fresh.iterdir()} == {".svg", ".png", ".pdf"}


def test_prune_keeps_only_what_is_used(fresh):
    rc.start()
    rc.vegalite_to_svg(spec([("a", 1)]))
    keep = set(rc.used())
    rc.vegalite_to_svg(spec([("a", 2)]))
    assert rc.prune(fresh, keep) == 1
    assert {p.name for p in fresh.iterdir()} == keep


def test_without_a_folder_nothing_is_written(monkeypatch, tmp_path):
    monkeypatch.delenv(rc.FOLDER_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    rc.vegalite_to_svg(spec([("z", 9)]))
    assert list(tmp_path.iterdir()) == []


def test_a_drawing_from_memory_is_kept_in_the_folder_of_the_study_that_uses_it(fresh, monkeypatch, tmp_path):
    """Two studies built in one process: the second study's folder gets the drawing too, or a later
    prune (which keeps what the build record names) would leave the record pointing at nothing."""
    picture = spec([("a", 7)])
    first = rc.vegalite_to_svg(picture)
    other = tmp_path / "other-study"
    monkeypatch.setenv(rc.FOLDER_ENV, str(other))
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda *a, **k: pytest.fail("drawn again"))
    rc.start()
    assert rc.vegalite_to_svg(picture) == first
    assert sorted(p.name for p in other.iterdir()) == rc.used()
