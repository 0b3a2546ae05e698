"""A module holds one job: none of Linju's modules, nor the field app's scripts, runs past 800 lines
(the demo's data and the migrations aside)."""

from pathlib import Path

import linju

ROOT = Path(linju.__file__).parent
MOST_LINES = 800


def _too_long(paths) -> dict[str, int]:
    sizes = {str(p): len(p.read_text(encoding="utf-8").splitlines()) for p in paths}
    return {path: lines for path, lines in sizes.items() if lines > MOST_LINES}


def test_no_python_module_runs_past_800_lines():
    modules = [p for p in ROOT.rglob("*.py") if "migrations" not in p.parts and p.parent.name != "demo"]
    assert len(modules) > 100  # the walk found the code
    assert _too_long(modules) == {}


def test_no_script_of_the_field_app_runs_past_800_lines():
    scripts = list((ROOT.parent / "static" / "field").glob("*.js"))
    assert scripts
    assert _too_long(scripts) == {}


def test_the_size_check_sees_a_long_module(tmp_path):
    long = tmp_path / "long.py"
    long.write_text("x = 1\n" * (MOST_LINES + 1))
    assert _too_long([long]) == {str(long): MOST_LINES + 1}
