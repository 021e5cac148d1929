"""Publishing: report pieces for notebooks, ``impact build`` and the infographic.

``impact.show`` is ``impact.report.show`` (the pieces a notebook displays),
imported on first use, so the CLI (``impact.report.cli``) starts without it.
Heavy libraries are imported only inside the functions that need them.
"""

__all__ = ["show"]


def __getattr__(name: str):
    if name == "show":
        import importlib

        return importlib.import_module("impact.report.show")  # also sets it on this package
    raise AttributeError(f"module 'impact.report' has no attribute {name!r}")
