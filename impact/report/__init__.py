"""Publishing: report pieces for notebooks, ``impact build`` and the infographic.

``impact.show`` is ``impact.report.show`` (the pieces a notebook displays).
Heavy libraries are imported only inside the functions that need them.
"""

from impact.report import show

__all__ = ["show"]
