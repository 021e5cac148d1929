"""Lazy public names for a package: import the module behind a name on first use.

Keeps ``import impact`` (and the CLI) fast: heavy libraries load only when a
name that needs them is used.

Example:
    >>> ns = {}
    >>> getattr_, dir_ = lazy_names("demo", {"sqrt": "math"}, ns)
    >>> getattr_("sqrt")(9.0), "sqrt" in ns
    (3.0, True)
"""

from __future__ import annotations

import importlib
import sys


def lazy_names(package: str, mapping: dict[str, str], namespace: dict):
    """``__getattr__`` and ``__dir__`` for a package whose names live in other modules."""

    def __getattr__(name: str):
        module = mapping.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value  # later look-ups skip __getattr__
        return value

    def __dir__():
        return sorted(list(namespace) + list(mapping))

    return __getattr__, __dir__


# --- a third-party import that costs seconds for nothing -----------------------------------

DEFERRED_GRAMMAR = "rfc3987_syntax"


class DeferredGrammar:
    """Imports ``rfc3987_syntax`` without building its parser until something is parsed.

    jsonschema (imported by altair and nbformat, so by every report kernel and
    by ``impact build``) imports ``rfc3987_syntax`` to check the ``iri``
    format, and that module builds an Earley parser for RFC 3987 the moment it
    is imported: about 2 s of CPU per process, although a report never checks
    an IRI (jsonschema issue #1428). This finder hands out the package with
    ``is_valid_syntax`` and ``parse`` that import the real module on their
    first call, and every other name of it on first use: the same functions,
    the same answers, paid for only when used. ``install()`` puts it first in
    ``sys.meta_path`` (``import impact`` does so); it looks at no other name.
    """

    def find_spec(self, fullname, path=None, target=None):
        if fullname != DEFERRED_GRAMMAR:
            return None
        import importlib.util

        for finder in sys.meta_path:  # where the real package is
            find = getattr(finder, "find_spec", None)
            real = find(fullname, path, target) if finder is not self and find else None
            if real is not None:
                break
        else:
            return None
        spec = importlib.util.spec_from_loader(fullname, self, origin=real.origin, is_package=True)
        spec.submodule_search_locations = list(real.submodule_search_locations or [])
        return spec

    def create_module(self, spec):
        return None  # a plain module

    def exec_module(self, module) -> None:
        def helpers():  # the real module: builds the parser once, when first needed
            return importlib.import_module(f"{DEFERRED_GRAMMAR}.syntax_helpers")

        def is_valid_syntax(term: str, value: str):
            return helpers().is_valid_syntax(term, value)

        def parse(term: str, value: str):
            return helpers().parse(term, value)

        def __getattr__(name: str):  # the package's other names (it re-exports syntax_helpers)
            if name.startswith("__"):
                raise AttributeError(name)
            return getattr(helpers(), name)

        module.__dict__.update(is_valid_syntax=is_valid_syntax, parse=parse, __getattr__=__getattr__)


def install_deferred_grammar() -> None:
    """Put ``DeferredGrammar`` first in ``sys.meta_path`` (once; no effect once jsonschema was imported)."""
    if not any(isinstance(f, DeferredGrammar) for f in sys.meta_path):
        sys.meta_path.insert(0, DeferredGrammar())
