"""Publishing: report pieces for notebooks, ``impact build`` and the infographic.

``impact.show`` is ``impact.report.show`` (the pieces a notebook displays);
``impact.theory_page`` is ``impact.report.theory_page`` (the pieces of the
page "Van activiteit naar effect"); ``impact.missing`` is
``impact.report.missing`` (what a section still waits for, in plain words). Both are imported on first use, so the
CLI (``impact.report.cli``) starts without them.
Heavy libraries are imported only inside the functions that need them.
"""

__all__ = ["missing", "show", "theory_page"]


def __getattr__(name: str):
    if name in __all__:
        import importlib

        return importlib.import_module(f"impact.report.{name}")  # also sets it on this package
    raise AttributeError(f"module 'impact.report' has no attribute {name!r}")
