"""The import contracts of `make lint` (pyproject.toml) keep up with the code.

The cross-app contract forbids every module name of an app except the public ones; import-linter
cannot say "all but these", so the names are listed, and this test fails when an app gains a module
whose name is not (it would otherwise be reachable from every other app without anyone deciding so).
"""

import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = {"selectors", "services", "schemas", "models", "rules", "registry"}
EXEMPT = {"tests", "migrations"}


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {c["type"]: c for c in config["contracts"]}


def test_every_private_module_name_is_forbidden_to_other_apps():
    forbidden = {m.removeprefix("charter.*.") for m in _contracts()["forbidden"]["forbidden_modules"]}
    graph = grimp.build_graph("charter", cache_dir=None)
    names = {
        module.split(".")[2]
        for module in graph.modules
        if module.count(".") >= 2 and module.split(".")[1] != "core"
    }
    unlisted = sorted(names - PUBLIC - EXEMPT - forbidden)
    assert not unlisted, f"add to the forbidden contract's list in pyproject.toml: {unlisted}"
    assert not forbidden & PUBLIC


def test_no_cycle_contract_covers_every_app():
    contract = _contracts()["acyclic_siblings"]
    assert contract["ancestors"] == ["charter.*"]
