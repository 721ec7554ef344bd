"""The import-linter contracts in pyproject.toml cover every module of the package: a new
top-level module that no contract names would be checked by none (import-linter ignores
modules a layers contract does not list), so the layering could drift around it."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import ROOT

PACKAGE = ROOT / "annotator"
NOT_LAYERED = {"annotator.__init__", "annotator.__main__"}  # the entry points


def _top_level() -> set[str]:
    names = {f"annotator.{p.stem}" for p in PACKAGE.glob("*.py")}
    names |= {f"annotator.{p.name}" for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    return names - NOT_LAYERED


def _contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["name"]: c for c in config["tool"]["importlinter"]["contracts"]}


def _layered(contract: dict[str, object]) -> set[str]:
    layers = contract["layers"]
    assert isinstance(layers, list)
    return {m for layer in layers for m in re.split(r"\s*[|:]\s*", layer.strip())}


def test_every_module_is_in_a_layer() -> None:
    (layers,) = [c for c in _contracts().values() if c["type"] == "layers"]
    missing = sorted(_top_level() - _layered(layers))
    assert not missing, f"pyproject.toml's layers contract does not name: {', '.join(missing)}"


def test_the_forbidden_contracts_cover_every_module_but_their_owner() -> None:
    contracts = _contracts()
    for name, owner in (
        ("The store is the only code that speaks SQL", "annotator.store"),
        ("Nothing outside annotator.tui imports textual or rich", "annotator.tui"),
    ):
        sources = contracts[name]["source_modules"]
        assert isinstance(sources, list)
        missing = sorted(_top_level() - set(sources) - {owner})
        assert not missing, f"{name!r} does not check: {', '.join(missing)}"


def test_a_module_outside_every_layer_is_caught() -> None:
    # the attack: the layer parser must not accept a name it was not given
    layered = _layered({"layers": ["annotator.a | annotator.b", "annotator.c : annotator.d"]})
    assert layered == {"annotator.a", "annotator.b", "annotator.c", "annotator.d"}
    assert "annotator.e" not in layered
