"""The publish guard: a planted-PII corpus in HTML, SVG, CSV (and JSON, notebooks, PDF)
is caught in full; clean reports pass; small cells follow the data-count/_persons convention."""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from impact.privacy import check_publish
from impact.privacy.cli import app
from test_privacy_detect import CLEAN, PLANTED

NAMES = ["Fatima el Amrani", "Henk de Wit", "Wim"]
NAME_TEXTS = [("Gesprek met Fatima el Amrani over werk.", "Fatima el Amrani"),
              ("Met dank aan HENK DE WIT.", "HENK DE WIT"),
              ("Wim hielp mee.", "Wim")]


def _corpus():
    """(text, value, kind) for every planted kind, names included."""
    return PLANTED + [(t, v, "name") for t, v in NAME_TEXTS]


def _kinds(findings):
    return sorted(f.kind for f in findings)


def test_planted_corpus_in_html_is_caught_in_full(tmp_path):
    rows = "".join(f"<p>{html.escape(t)}</p>\n" for t, _, _ in _corpus())
    page = tmp_path / "rapport.html"
    page.write_text(f"<!doctype html><html><head><title>Rapport</title><style>p{{color:#020}}</style>"
                    f"</head><body>\n{rows}</body></html>", encoding="utf-8")
    findings = check_publish([page], names=NAMES)
    assert _kinds(findings) == sorted(kind for _, _, kind in _corpus())
    # one finding per line of the corpus, on the right line
    lines = sorted(int(f.location.split(",")[0].split()[1]) for f in findings)
    assert lines == list(range(2, 2 + len(_corpus())))


def test_planted_corpus_in_svg_text_is_caught_in_full(tmp_path):
    texts = "".join(f'<text x="0" y="{10 * i}">{html.escape(t)}</text>'
                    for i, (t, _, _) in enumerate(_corpus()))
    svg = tmp_path / "grafiek.svg"
    svg.write_text(f'<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0612345678 L 0 20 123 4567"/>'
                   f"{texts}</svg>", encoding="utf-8")
    findings = check_publish([svg], names=NAMES)
    assert _kinds(findings) == sorted(kind for _, _, kind in _corpus())


def test_planted_corpus_in_csv_is_caught_in_full_with_row_and_column(tmp_path):
    path = tmp_path / "tabel.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["nr", "tekst"])
        for i, (t, _, _) in enumerate(_corpus()):
            w.writerow([i, t])
    findings = check_publish([path], names=NAMES)
    assert _kinds(findings) == sorted(kind for _, _, kind in _corpus())
    assert findings[0].location == "row 2, column 'tekst'"


@pytest.mark.parametrize("suffix", [".html", ".svg", ".csv"])
def test_clean_texts_give_no_false_alarm(tmp_path, suffix):
    if suffix == ".csv":
        body = "nr,tekst\n" + "".join(f'{i},"{t}"\n' for i, t in enumerate(CLEAN))
    elif suffix == ".svg":
        body = "<svg>" + "".join(f"<text>{html.escape(t)}</text>" for t in CLEAN) + "</svg>"
    else:
        body = "<html><body>" + "".join(f"<p>{html.escape(t)}</p>" for t in CLEAN) + "</body></html>"
    path = tmp_path / f"schoon{suffix}"
    path.write_text(body, encoding="utf-8")
    assert check_publish([path], names=NAMES) == []


def test_excerpt_never_repeats_the_value_in_full(tmp_path):
    page = tmp_path / "r.html"
    corpus = _corpus()
    page.write_text("".join(f"<p>{html.escape(t)}</p>" for t, _, _ in corpus), encoding="utf-8")
    findings = check_publish([page], names=NAMES)
    for f in findings:
        for _, value, _ in corpus:
            if len(value) > 3:
                assert value not in f.excerpt
        assert "•" in f.excerpt or len(f.excerpt) <= 2


def test_name_split_over_inline_tags_and_in_attributes(tmp_path):
    page = tmp_path / "r.html"
    page.write_text('<p><b>Fatima</b> el <i>Amrani</i></p><img alt="foto van Henk de Wit" src="x.png">',
                    encoding="utf-8")
    findings = check_publish([page], names=NAMES)
    assert [(f.kind, f.location) for f in findings] == [
        ("name", "line 1, column 7"), ("name", "line 1, column 38 (attribute)")]


def test_small_cells_in_html_table(tmp_path):
    page = tmp_path / "r.html"
    page.write_text(
        "<table>\n"
        '<tr><td>Noord</td><td data-count="persons" class="num">3</td></tr>\n'
        '<tr><td>Oost</td><td data-count="persons">&lt; 5</td></tr>\n'
        '<tr><td>West</td><td data-count="persons">0</td></tr>\n'
        '<tr><td>Zuid</td><td data-count="persons"><span>1.234</span></td></tr>\n'
        '<tr><td>Centrum</td><td data-count="persons">–</td></tr>\n'
        '<tr><td>Uren</td><td>3</td></tr>\n'
        "</table>", encoding="utf-8")
    findings = check_publish([page], k=5)
    assert [(f.location, f.kind, f.excerpt) for f in findings] == [
        ("line 2, column 19", "small_cell", "3 < k=5")]
    # with k = 10 (UK/ACRO practice) the same 3 is found, 1.234 is not
    assert len(check_publish([page], k=10)) == 1


def test_small_cells_in_csv_and_json(tmp_path):
    (tmp_path / "t.csv").write_text("district,n_persons,hours\nNoord,4,2\nOost,12,1\nWest,0,3\n",
                                    encoding="utf-8")
    (tmp_path / "t.json").write_text(json.dumps({"rows": [{"district": "Noord", "n_persons": 2},
                                                          {"district": "Oost", "persons": 9}]}),
                                     encoding="utf-8")
    found = sorted((Path(f.file).name, f.location, f.kind) for f in check_publish([tmp_path], k=5))
    assert found == [("t.csv", "row 2, column 'n_persons'", "small_cell"),
                     ("t.json", "$.rows[0].n_persons", "small_cell")]


def test_notebook_outputs_and_sources_are_checked(tmp_path):
    nb = {"cells": [
        {"cell_type": "code", "source": ["x = 1\n"], "outputs": [
            {"output_type": "stream", "text": ["Bel 06-12345678\n"]},
            {"output_type": "display_data", "data": {
                "text/html": ['<td data-count="persons">2</td>'], "text/plain": ["ok"]}}]},
        {"cell_type": "markdown", "source": ["Interview met Henk de Wit"]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "01.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    found = [(f.location, f.kind) for f in check_publish([path], names=NAMES)]
    assert found == [("cell 1 output 1.text", "phone"),
                     ("cell 1 output 2.data[\"text/html\"], line 1, column 1", "small_cell"),
                     ("cell 2 source", "name")]


def test_json_script_and_embedded_svg_in_html(tmp_path):
    svg = '<svg><text>Henk de Wit</text></svg>'
    import base64

    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    page = tmp_path / "r.html"
    page.write_text(f'<script type="application/json">{{"who": "mail h@voorbeeld.nl"}}</script>'
                    f'<script>var a = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90];</script>'
                    f'<img src="{uri}">', encoding="utf-8")
    kinds = [(f.kind, f.location.split("(")[1].split(",")[0].split(" ")[0]) for f in check_publish([page], names=NAMES)]
    assert kinds == [("email", "script"), ("name", "embedded")]


def test_pdf_text_is_checked(tmp_path):
    vl_convert = pytest.importorskip("vl_convert")
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60">'
           '<text x="5" y="20" font-family="sans-serif" font-size="12">Bel 06-12345678</text>'
           '<text x="5" y="45" font-family="sans-serif" font-size="12">In 2023: 32 uur</text></svg>')
    pdf = tmp_path / "infographic.pdf"
    pdf.write_bytes(vl_convert.svg_to_pdf(svg))
    assert [(f.location, f.kind) for f in check_publish([pdf])] == [("page 1", "phone")]


def test_broken_pdf_is_a_finding_not_a_pass(tmp_path):
    (tmp_path / "kapot.pdf").write_bytes(b"%PDF-1.7 not really")
    assert [f.kind for f in check_publish([tmp_path])] == ["unreadable"]


def test_allow_list_and_register_values(tmp_path):
    page = tmp_path / "r.html"
    page.write_text("<p>Contact: 030-7892000.</p><p>Oude buurman: Wilgenroosje 138, Londen +44 20 7946 0958</p>",
                    encoding="utf-8")
    # a foreign number with its country code is a phone number too
    assert [f.kind for f in check_publish([page])] == ["phone", "phone"]
    assert check_publish([page], allow=["030-789 2000", "+44 20 79460958"]) == []
    # a street without a suffix is only found when the register holds it
    found = check_publish([page], allow=["030-789 2000", "+44 20 79460958"],
                          values={"address": ["Wilgenroosje 138, 1105 TP Amsterdam"]})
    assert [(f.kind, f.excerpt) for f in found] == [("address", "Wi•••••••••• •••")]


# ---- the CLI -----------------------------------------------------------------

runner = CliRunner()


def _study_with_register(tmp_path):
    from impact.study import init_study

    study = init_study(tmp_path / "s")
    (study.raw / "people.csv").write_text("person_id,name\nR1,Truus Voorbeeld\n", encoding="utf-8")
    return str(study.root)


def test_cli_exit_1_and_one_line_per_finding(tmp_path):
    study = _study_with_register(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "r.html").write_text("<p>06-12345678</p><p>a@b.nl</p>", encoding="utf-8")
    result = runner.invoke(app, ["check-publish", str(tmp_path / "out"), "--study", study, "--lang", "en"])
    assert result.exit_code == 1
    lines = [l for l in result.stdout.splitlines() if l.strip()]
    assert len(lines) == 2
    assert lines[0].endswith("line 1, column 4: phone number (06-••••••••)")
    assert "a@b.nl" not in result.stdout


def test_cli_exit_0_when_clean(tmp_path):
    study = _study_with_register(tmp_path)
    (tmp_path / "r.html").write_text("<p>In 2023: 32 uur, 10.000 keer aangebeld.</p>", encoding="utf-8")
    result = runner.invoke(app, ["check-publish", str(tmp_path / "r.html"), "--study", study])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == ""


def test_cli_without_a_study_fails_closed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("IMPACT_STUDY", raising=False)
    (tmp_path / "r.html").write_text("<p>Truus Voorbeeld kwam ook.</p>", encoding="utf-8")
    result = runner.invoke(app, ["check-publish", str(tmp_path / "r.html")])
    assert result.exit_code == 1
    assert "Schoon" not in result.output


def test_cli_uses_register_names_and_k_of_the_study(tmp_path):
    from impact.study import init_study

    study = init_study(tmp_path / "s")
    (study.raw / "people.csv").write_text(
        "person_id,name,name_variants,role,actor_type,district\nR1,Truus Voorbeeld,Truusje,bewoner,informeel,West\n",
        encoding="utf-8")
    report = study.reports / "r.html"
    report.write_text('<p>Truusje vertelde</p><td data-count="persons">7</td>', encoding="utf-8")
    toml = study.root / "impact.toml"
    toml.write_text(toml.read_text().replace("k = 5", "k = 10"), encoding="utf-8")
    result = runner.invoke(app, ["check-publish", str(study.reports), "--study", str(study.root), "--lang", "en"])
    assert result.exit_code == 1
    assert "name" in result.stdout and "count of persons too small" in result.stdout
    assert "Truusje" not in result.stdout


def test_cli_missing_path_is_a_user_error(tmp_path):
    study = _study_with_register(tmp_path)
    result = runner.invoke(app, ["check-publish", str(tmp_path / "nee.html"), "--study", study])
    assert result.exit_code == 1
    assert "Niet gevonden" in result.output


# ---- failing closed ----------------------------------------------------------------

def _page(tmp_path, text="<p>Fatima el Amrani kwam ook.</p>"):
    page = tmp_path / "out" / "r.html"
    page.parent.mkdir(exist_ok=True)
    page.write_text(text, encoding="utf-8")
    return page


def test_the_guard_cannot_run_without_a_study_or_a_register(tmp_path):
    from impact.privacy.guard import RegisterUnavailable, check_study, load_register
    from impact.study import init_study

    page = _page(tmp_path)
    with pytest.raises(RegisterUnavailable) as err:
        check_study([page], None)
    assert "--study" in err.value.render("nl")
    study = init_study(tmp_path / "s")
    with pytest.raises(RegisterUnavailable) as err:
        load_register(study)
    assert "data/raw/people.csv" in err.value.render("nl") and "stopt" in err.value.render("nl")
    # a register without a name column cannot be searched either
    (study.raw / "people.csv").write_text("person_id,role\nBB01,buurtbaner\n", encoding="utf-8")
    with pytest.raises(RegisterUnavailable) as err:
        check_study([page], study)
    assert "name" in err.value.render("en")


def test_the_guard_with_a_readable_register_finds_its_names_and_contact_data(tmp_path):
    from impact.privacy.guard import check_study, load_register
    from impact.study import init_study

    study = init_study(tmp_path / "s")
    (study.raw / "people.csv").write_text(
        "person_id,name,name_variants,phone\nR01,Fatima el Amrani,Fatma,+44 20 7946 0958\n", encoding="utf-8")
    register = load_register(study)
    assert register.names == ["Fatima el Amrani", "Fatma"]
    assert register.values["phone"] == ["+44 20 7946 0958"]
    page = _page(tmp_path, "<p>Fatma belde 0044 20 7946 0958.</p><td data-count='persons'>3</td>")
    assert [(f.kind, f.excerpt) for f in check_study([page], study)] == [
        ("name", "Fa•••"), ("phone", "00•• •• •••• ••••"), ("small_cell", "3 < k=5")]
    assert [f.kind for f in check_study([page], study, k=3)] == ["name", "phone"]


# --- a page's counts together, and the pages of one build together (issue 22) ---------------------

def _report(district: str, body: str) -> str:
    return (f'<!doctype html><html><head><meta name="impact:district" content="{district}"></head><body><main>'
            f"<h1>Ontwikkeling</h1>{body}</main></body></html>")


def _figure(name: str, text: str, part_of: str = "", same_as: str = "", key: str = "") -> str:
    extra = (f' data-part-of="{part_of}"' if part_of else "") + (f' data-same-as="{same_as}"' if same_as else "")
    extra += f' data-key="{key}"' if key else ""
    return f'<data class="impact-figure" data-figure="{name}" data-count="persons"{extra}>{text}</data>'


def test_a_group_and_its_subgroup_on_one_page(tmp_path):
    """7 started and 6 got a certificate: 7 - 6 = 1 did not (both numbers are at least k = 5)."""
    page = tmp_path / "r.html"
    page.write_text(_report("West", _figure("placed", "7") + _figure("certified", "6", part_of="placed")
                            + _figure("promised", "&lt; 5", part_of="placed")), encoding="utf-8")
    findings = check_publish([page], k=5)
    assert [(f.kind, f.excerpt) for f in findings] == [("small_difference", "placed 7 - certified 6 < k=5")]
    page.write_text(_report("West", _figure("placed", "12") + _figure("certified", "6", part_of="placed")),
                    encoding="utf-8")
    assert check_publish([page], k=5) == []


def test_a_percentage_next_to_a_hidden_count(tmp_path):
    """'werkritme – 28 14%': 14% of 28 is 4 persons, whatever the count column says."""
    page = tmp_path / "r.html"
    page.write_text(_report("", '<table><caption>Open antwoorden</caption><thead><tr><th>Thema</th><th>Noemen</th>'
                                '<th>Met antwoord</th><th>%</th></tr></thead><tbody>'
                                '<tr><th>werkritme</th><td data-count="persons">&lt; 5</td>'
                                '<td data-count="persons">28</td><td>14%</td></tr>'
                                '<tr><th>taal</th><td data-count="persons">x</td><td data-count="persons">28</td>'
                                '<td>x</td></tr></tbody></table>'), encoding="utf-8")
    assert [(f.kind, f.excerpt) for f in check_publish([page], k=5)] == [("derived_value", "Open antwoorden: 14%")]


def test_the_pages_of_one_build_together(tmp_path):
    """The whole study shows 12; West hides its count, Oost shows 8, and there are no other districts:
    12 - 8 = 4 is West's. The same figure for West on the whole study's page (per district) must read
    as on West's own page."""
    pages = {"hele.html": _report("", _figure("placed", "12") + _figure("reached_by", "x", same_as="reached",
                                                                         key="West")),
             "west.html": _report("West", _figure("placed", "&lt; 5") + _figure("reached", "40")),
             "oost.html": _report("Oost", _figure("placed", "8"))}
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    findings = check_publish([tmp_path], k=5, districts=["West", "Oost"])
    got = sorted((Path(f.file).name, f.kind, f.location) for f in findings)
    assert got == [("hele.html", "cross_page", "figure placed"), ("west.html", "cross_page", "figure reached")]
    assert "12 minus the districts leaves 4 < k=5 for West" in {f.excerpt for f in findings}
    # without the list of districts a build's pages cannot be summed (other districts may be missing)
    assert [f.location for f in check_publish([tmp_path], k=5)] == ["figure reached"]
    # the same figure in the English pages (reports/en/): "1,234" is the Dutch "1.234", but 41 is not 40
    for name in pages:
        page = (tmp_path / name).read_text(encoding="utf-8").replace("<html>", '<html lang="nl">')
        (tmp_path / name).write_text(page.replace(">40<", ">1.234<"), encoding="utf-8")
    other = tmp_path / "en"
    other.mkdir()
    english = _report("West", _figure("reached", "1,234")).replace("<html>", '<html lang="en">')
    (other / "west.html").write_text(english, encoding="utf-8")
    assert [f.location for f in check_publish([tmp_path], k=5)] == ["figure reached"]
    (other / "west.html").write_text(english.replace("1,234", "1,235"), encoding="utf-8")
    findings = check_publish([tmp_path], k=5)
    assert sorted((Path(f.file).name, f.excerpt) for f in findings) == [  # en/west.html is read first
        ("hele.html", "'x' here, '1,235' on west.html"), ("west.html", "'1.234' here, '1,235' on west.html")]
