"""``import impact`` defers rfc3987_syntax's parser (impact._lazy.DeferredGrammar): same answers, later."""

import json
import subprocess
import sys

import pytest

CHECK = """
import json, sys
if sys.argv[1] == "impact":
    import impact
import jsonschema
built = "rfc3987_syntax.syntax_helpers" in sys.modules
check = jsonschema.Draft7Validator.FORMAT_CHECKER
values = ["http://example.com/%C3%BC/ümlaut?q=1#f", "not an iri", "//host/path", "a:b c", "mailto:x@y.nl"]
answers = [[check.conforms(v, f) for v in values] for f in ("iri", "iri-reference")]
import rfc3987_syntax
tree = str(rfc3987_syntax.parse("iri", "http://a.nl/b"))
print(json.dumps({"built_on_import": built, "answers": answers, "tree": tree,
                  "kind": rfc3987_syntax.RFC3987_SYNTAX_PARSER_TYPE}))
"""


def run(mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHECK, mode], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_iri_checks_give_the_same_answers_with_the_parser_built_later():
    pytest.importorskip("rfc3987_syntax")
    plain, deferred = run("plain"), run("impact")
    assert plain["built_on_import"] is True  # what costs seconds in every kernel without impact
    assert deferred["built_on_import"] is False
    assert deferred["answers"] == plain["answers"] and deferred["answers"][0][:2] == [True, False]
    assert deferred["tree"] == plain["tree"] and deferred["kind"] == plain["kind"] == "earley"


def test_a_warm_report_kernel_has_altair_but_not_the_parser():
    """The kernels of a build import impact before altair, so jsonschema finds the deferred grammar
    (in sorted order altair came first, and every warm kernel paid about 2 s for the parser)."""
    from impact.report.build import WARM_IMPORTS, KernelPool

    pool = KernelPool(1, warm=list(WARM_IMPORTS))
    pool.start()
    out: list[dict] = []
    try:
        _, client = pool.idle[0]

        async def ask():
            return await client.execute_interactive(
                "import sys; print('altair' in sys.modules, 'rfc3987_syntax.syntax_helpers' in sys.modules)",
                output_hook=out.append, timeout=60)

        pool._wait([ask()])
    finally:
        pool.close()
    printed = "".join(m["content"].get("text", "") for m in out if m["msg_type"] == "stream")
    assert printed.split() == ["True", "False"]
