"""The package is the product: what the wheel holds, and the seams between the stages."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _wheel_files() -> list[str]:
    """The files setuptools' build_py would put in the wheel (packages found from pyproject.toml, their modules
    and package data), relative to the build folder: the wheel's file list without building it."""
    from setuptools.config.pyprojecttoml import apply_configuration
    from setuptools.dist import Distribution

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "[tool.setuptools] in pyproject.toml is still beta"
        dist = Distribution({"script_name": "setup.py"})
        apply_configuration(dist, str(ROOT / "pyproject.toml"))
        cmd = dist.get_command_obj("build_py")
        cmd.ensure_finalized()
        outputs = cmd.get_outputs(include_bytecode=False)
    return sorted({Path(o).relative_to(cmd.build_lib).as_posix() for o in outputs})


def test_layout_wheel_holds_the_packages_and_their_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    files = _wheel_files()
    assert "pipeline/__init__.py" in files and "extractors/__init__.py" in files
    assert any(f.startswith("extractors/patterns/") and f.endswith(".jsonl") for f in files)
    assert {f.split("/")[0] for f in files} == {"pipeline", "extractors"}


def test_layout_wheel_holds_no_evaluation_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    files = _wheel_files()
    names = [Path(f).stem for f in files if f.endswith(".py")]
    assert not [n for n in names if n in ("evaluate", "bench") or n.startswith("eval")], names
    for f in files:
        if f.endswith(".py"):
            text = (ROOT / f).read_text(encoding="utf-8")
            # the reference scorers and the gold files are evaluation's, never the product's
            assert "score.py" not in text and "gold/" not in text and "newsquant.py" not in text, f


def test_layout_evaluation_is_not_importable_from_the_package() -> None:
    import importlib

    for name in ("pipeline.evaluate", "pipeline.eval_web", "pipeline.bench"):
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(name)
