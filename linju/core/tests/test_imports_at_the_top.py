"""Linju's modules import each other at the top, where import-linter sees every edge between apps.
An import of a linju module inside a function is there only because a real cycle (or the app
registry, in AppConfig.ready) needs it, and a comment just above it says which."""

import ast
from pathlib import Path

import linju

ROOT = Path(linju.__file__).parent


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            inside.update(id(n) for n in ast.walk(node))
    return inside


def _imports_linju(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").startswith("linju")
    return isinstance(node, ast.Import) and any(a.name.startswith("linju") for a in node.names)


def _explained(lines: list[str], lineno: int) -> bool:
    """A comment on the lines just above the import, over other imports and blank lines."""
    for line in reversed(lines[: lineno - 1]):
        text = line.strip()
        if text.startswith("#"):
            return True
        if text and not text.startswith(("from ", "import ")):
            return False
    return False


def unexplained_imports_inside_functions() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if (
            "tests" in relative.parts
            or "migrations" in relative.parts
            or relative.name.startswith("conftest")
        ):
            continue
        source = path.read_text()
        tree, lines = ast.parse(source), source.splitlines()
        skipped = _type_checking_nodes(tree)
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if id(node) not in skipped and _imports_linju(node) and not _explained(lines, node.lineno):
                    found.append(f"{relative}:{node.lineno} {function.name}: {ast.unparse(node)}")
    return sorted(set(found))


def test_every_import_inside_a_function_says_which_cycle_needs_it():
    assert unexplained_imports_inside_functions() == []


def test_the_check_finds_an_unexplained_import():
    source = "def f():\n    x = 1\n    from linju.core import errors\n\n\ndef g():\n    # a cycle\n    from . import h\n"
    tree, lines = ast.parse(source), source.splitlines()
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert [_explained(lines, n.lineno) for n in imports] == [False, True]
