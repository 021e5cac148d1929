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
