"""The package's shape: no module uses another module's ``_private`` names.

A leading underscore says "only for this module". When another module needs
the thing, it is public, and it lives in the lowest module that needs it
(DEVELOPERS.md, "How we like code"). The import layers themselves are
checked by ``make lint`` (import-linter, ``[tool.importlinter]`` in
pyproject.toml).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "impact"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _may_use(importer: str, target: str, modules) -> bool:
    """Whether ``importer`` may use ``target`` (a dotted name whose last part is private).

    A private module may be used inside its parent package (``impact._lazy``
    by every part of impact; ``impact.questionnaires._shipped`` by the
    questionnaire modules); a private name only by its own module.
    """
    owner = target.rsplit(".", 1)[0]
    if target in modules:
        return importer == owner or importer.startswith(owner + ".")
    return importer == owner


def _absolute(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    base = base if is_package else base[:-1]
    base = base[:len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def private_uses(source: str, importer: str, is_package: bool = False, modules=MODULES) -> list[str]:
    """Every use of another module's private name in module ``importer`` (its ``source``): ``line: target``.

    Catches ``from impact.x import _name`` and, after ``import impact.x`` (or
    ``import impact.x as x``, ``from impact import x``), ``impact.x._name``.
    ``modules``: the names of impact's modules.
    """
    tree = ast.parse(source)
    found: list[str] = []
    bound: dict[str, str] = {}  # a local name bound to an impact module -> that module

    def check(line: int, target: str) -> None:
        if not _may_use(importer, target, modules):
            found.append(f"{line}: {target}")

    def check_path(line: int, module: str) -> None:
        parts = module.split(".")
        for i in range(1, len(parts)):
            if _private(parts[i]):
                check(line, ".".join(parts[:i + 1]))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "impact":
                    check_path(node.lineno, alias.name)
                    bound[alias.asname or "impact"] = alias.name if alias.asname else "impact"
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, importer, is_package)
            if module.split(".")[0] != "impact":
                continue
            check_path(node.lineno, module)
            for alias in node.names:
                target = f"{module}.{alias.name}"
                if target in modules:
                    bound[alias.asname or alias.name] = target
                if _private(alias.name):
                    check(node.lineno, target)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            chain, value = [], node.value
            while isinstance(value, ast.Attribute):
                chain.insert(0, value.attr)
                value = value.value
            if isinstance(value, ast.Name) and value.id in bound:
                owner = ".".join([bound[value.id], *chain])
                if owner in modules:
                    check(node.lineno, f"{owner}.{node.attr}")
    return sorted(set(found), key=lambda s: (int(s.split(":")[0]), s))


def test_the_check_finds_private_names_taken_from_another_module():
    modules = {"impact", "impact._lazy", "impact.coding", "impact.coding.corpus", "impact.coding.units",
               "impact.coding.markup", "impact.questionnaires", "impact.questionnaires._shipped"}
    source = ("from impact.coding.corpus import Corpus, _hidden\n"
              "import impact.coding.units as units\n"
              "from impact.coding import markup\n"
              "from impact import _lazy\n"
              "from impact.questionnaires import _shipped\n"
              "from . import _shipped as mine\n"
              "def f():\n"
              "    import impact.coding.corpus\n"
              "    return units._secret, markup._Parser, impact.coding.corpus._x, units.__doc__\n")
    assert private_uses(source, "impact.coding.probe", modules=modules) == [
        "1: impact.coding.corpus._hidden", "5: impact.questionnaires._shipped", "6: impact.coding._shipped",
        "9: impact.coding.corpus._x", "9: impact.coding.markup._Parser", "9: impact.coding.units._secret"]
    assert private_uses("from impact.questionnaires import _shipped\nfrom ._shipped import x\n",
                        "impact.questionnaires.cli", modules=modules) == []


def test_no_module_uses_another_modules_private_names():
    found = {str(path.relative_to(PACKAGE.parent)): uses for name, path in MODULES.items()
             if (uses := private_uses(path.read_text(encoding="utf-8"), name, path.name == "__init__.py"))}
    assert found == {}, "make these public in the lowest module that needs them"
