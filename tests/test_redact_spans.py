"""``Redaction.map_spans`` (numpy, for many codings at once) gives exactly what ``map_span`` gives."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from impact.privacy.redact import RedactedSpan, Redaction


@st.composite
def redactions(draw):
    """A text with replaced spans at random places (tags longer or shorter than what they replace)."""
    length = draw(st.integers(0, 120))
    cuts = sorted(draw(st.sets(st.integers(0, length), max_size=12)))
    findings, shift = [], 0
    for a, b in zip(cuts[::2], cuts[1::2]):
        if a == b:
            continue
        tag = draw(st.integers(1, 12))
        findings.append(RedactedSpan(a, b, "naam", "x" * (b - a), "#" * tag, a + shift, a + shift + tag))
        shift += tag - (b - a)
    return Redaction("?" * (length + shift), findings), length


@settings(max_examples=300, deadline=None)
@given(redactions(), st.data())
def test_map_spans_is_map_span_for_every_segment(case, data):
    red, length = case
    pairs = data.draw(st.lists(st.tuples(st.integers(0, length), st.integers(0, length)), max_size=40))
    starts, ends = red.map_spans(np.array([a for a, _ in pairs], dtype=np.int64),
                                 np.array([b for _, b in pairs], dtype=np.int64))
    assert list(zip(starts.tolist(), ends.tolist())) == [red.map_span(a, b) for a, b in pairs]
