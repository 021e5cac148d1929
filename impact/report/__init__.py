"""Publishing: report pieces for notebooks, ``impact build`` and the infographic.

``impact.show`` is ``impact.report.show`` (the pieces a notebook displays);
``impact.theory_page`` is ``impact.report.theory_page`` (the pieces of the
page "Van activiteit naar effect").
Heavy libraries are imported only inside the functions that need them.
"""

from impact.report import show, theory_page

__all__ = ["show", "theory_page"]
