"""Inline coding markup: examples, errors with line and column, and a round-trip property."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impact.coding.markup import parse_markup, write_markup
from impact.errors import InputError


def triples(markup):
    return sorted((c.start, c.end, c.code) for c in markup.codings)


def test_nested_spans_and_several_codes():
    m = parse_markup("Ik wil [werken]{#werk}, echt.\n\n[Ik wil [werken]{#werk}, echt]{#motivatie #erkenning}")
    assert m.text == "Ik wil werken, echt.\n\nIk wil werken, echt"
    assert triples(m) == [(7, 13, "werk"), (22, 41, "erkenning"), (22, 41, "motivatie"), (29, 35, "werk")]
    assert m.text[29:35] == "werken"


def test_overlap_as_pieces_sharing_a_label():
    # "Ik wil werken" = motivatie, "werken en verdienen" = geld: they cross, so geld is split in two pieces
    m = parse_markup("[Ik wil [werken]{#geld +a}]{#motivatie}[ en verdienen]{#geld +a}.")
    assert m.text == "Ik wil werken en verdienen."
    assert triples(m) == [(0, 13, "motivatie"), (7, 26, "geld")]


def test_pieces_may_have_spaces_between_but_not_words():
    assert triples(parse_markup("[Ik wil]{#x +1} [werken]{#x +1}")) == [(0, 13, "x")]
    with pytest.raises(InputError) as err:
        parse_markup("[Ik]{#x +1} wil [werken]{#x +1}", file="c.md")
    assert "c.md" in err.value.render("en") and "line 1:17" in err.value.render("en")


def test_plain_brackets_and_escapes_stay_text():
    m = parse_markup("Ja [lacht] dat [klopt]{#x}. Een \\[haak\\] en \\\\.")
    assert m.text == "Ja [lacht] dat klopt. Een [haak] en \\."
    assert triples(m) == [(15, 20, "x")]


def test_aliases_resolve_and_unknown_codes_are_named_with_line_and_column():
    codes = {"motivatie": "motivatie", "drive": "motivatie"}
    m = parse_markup("Eerste regel.\n\nIk [wil]{#drive #onbekend} werken.", codes=codes, file="BB03/I01.md",
                     first_line=10, strict=False)
    assert triples(m) == [(18, 21, "motivatie")]
    [problem] = m.problems
    assert (problem.file, problem.row, problem.position, problem.value) == ("BB03/I01.md", 12, 17, "onbekend")
    assert "regel 12:17" in problem.render("nl")


@pytest.mark.parametrize("markup, line, column, what", [
    ("Goed.\n[Ik wil werken", 2, 1, "never closed"),
    ("Ik wil werken]{#x}", 1, 14, "never opened"),
    ("Ik []{#x} wil", 1, 4, "empty"),
    ("Ik [wil]{} werken", 1, 9, "at least one code"),
    ("Ik [wil]{motivatie} werken", 1, 10, "with # in front"),
    ("Ik [wil]{#x werken", 1, 9, "closing the codes"),
])
def test_errors_name_line_and_column(markup, line, column, what):
    with pytest.raises(InputError) as err:
        parse_markup(markup, file="codering.md")
    first = err.value.problems[0]
    assert (first.file, first.row, first.position) == ("codering.md", line, column)
    assert what in first.render("en")


def test_writer_nests_splits_and_escapes():
    text = "Ik wil [echt] werken en verdienen."
    codings = [(0, 20, "motivatie"), (14, 33, "geld"), (14, 20, "werk"), (14, 20, "werk")]
    written = write_markup(text, codings)
    assert written == "[Ik wil \\[echt\\] [[werken]{#werk}]{#geld +1}]{#motivatie}[ en verdienen]{#geld +1}."
    assert triples(parse_markup(written)) == sorted(set(codings))


def test_writer_refuses_codings_outside_the_text_or_unwritable_codes():
    with pytest.raises(InputError):
        write_markup("kort", [(0, 10, "x")])
    with pytest.raises(InputError):
        write_markup("kort", [(0, 2, "twee woorden")])


@st.composite
def coded_texts(draw):
    text = draw(st.text(alphabet=st.sampled_from(list("ab c\n[]{}\\#+é€")), min_size=1, max_size=40))
    n = len(text)
    spans = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, n), st.sampled_from(["x", "y", "z_1"])),
                          max_size=8))
    codings = {(min(s, e - 1), max(s + 1, e), c) for s, e, c in spans if n}
    return text, sorted(codings)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(coded_texts())
def test_parse_write_parse_keeps_every_coding(case):
    text, codings = case
    written = write_markup(text, codings)
    first = parse_markup(written)
    assert first.text == text
    assert triples(first) == codings
    again = parse_markup(write_markup(first.text, triples(first)))
    assert (again.text, triples(again)) == (first.text, triples(first))
