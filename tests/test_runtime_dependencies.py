"""Everything Charter imports outside its tests is a runtime dependency, so `pip install .` (no extras)
gives a Charter whose URLs load. CI also installs it that way and checks it (`scripts/check-install.sh`)."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _runtime_modules() -> dict[str, str]:
    """Third-party top-level module -> the first file importing it (charter/ and config/, no tests)."""
    found: dict[str, str] = {}
    for package in ("charter", "config"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or path.name == "conftest.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in {"charter", "config"}:
                        found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_module_imported_at_run_time_is_a_declared_runtime_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_normalise(re.split(r"[<>=!~\[ ;]", req, maxsplit=1)[0]) for req in project["dependencies"]}
    distributions = packages_distributions()
    modules = _runtime_modules()
    assert "django" in modules and "ninja" in modules  # the scan sees real imports
    missing = {
        module: (where, distributions.get(module))
        for module, where in modules.items()
        if not {_normalise(d) for d in distributions.get(module, [module])} & declared
    }
    assert not missing, f"imported at run time but not in [project] dependencies: {missing}"
