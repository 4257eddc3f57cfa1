"""The package is the product: what the wheel holds, and the seams between the stages."""

from __future__ import annotations

import ast
import re
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


# --- the store owns all SQL ---------------------------------------------------------------------------------
SQL_STATEMENT = re.compile(
    r"\bselect\b.+?\bfrom\b|\binsert\s+(?:or\s+\w+\s+)?into\b|\breplace\s+into\b|\bdelete\s+from\b"
    r"|\bupdate\s+\[?\w+\]?\s+set\b|\bcreate\s+(?:unique\s+|virtual\s+|temp\s+)?(?:table|index|view|trigger)\b"
    r"|\bdrop\s+(?:table|index|view|trigger)\b|\balter\s+table\b|\bpragma\b|\bbegin\s+immediate\b",
    re.I | re.S,
)
STORE = ROOT / "pipeline" / "store"


def _string_literals(path: Path) -> list[tuple[int, str]]:
    """Every string constant in a module (docstrings and the literal parts of f-strings included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [(n.lineno, n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _sql_in(path: Path) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{line}: {text.strip()[:80]!r}" for line, text in _string_literals(path)
            if SQL_STATEMENT.search(text)]


def _modules_outside_store() -> list[Path]:
    files = sorted((ROOT / "pipeline").rglob("*.py")) + sorted((ROOT / "extractors").rglob("*.py"))
    return [f for f in files if not f.is_relative_to(STORE)]


@pytest.mark.parametrize("text", [
    "select id from articles where id = ?", "SELECT count(*)\nFROM claims", "insert or ignore into x values (1)",
    "delete from [flags] where 1", "update claim_keys set cluster_id = ?", "create index i on t(c)",
    "PRAGMA journal_mode=wal", "create virtual table f using fts5(x)",
])
def test_layout_sql_pattern_finds_statements(text: str) -> None:
    assert SQL_STATEMENT.search(text)


@pytest.mark.parametrize("text", ["the selectors come from the site adapter", "Updated figures", "delete it"])
def test_layout_sql_pattern_leaves_prose(text: str) -> None:
    assert not SQL_STATEMENT.search(text)


def test_layout_the_store_holds_sql() -> None:
    """The check below can fail: the store's own modules are full of what it looks for."""
    for name in ("core.py", "crossref.py", "query.py"):
        assert len(_sql_in(STORE / name)) >= 5, name


def test_layout_no_sql_outside_the_store() -> None:
    modules = _modules_outside_store()
    assert len(modules) > 40
    found = [hit for m in modules for hit in _sql_in(m)]
    assert not found, "SQL outside pipeline/store/:\n" + "\n".join(found)


def test_layout_no_sql_in_the_site_files() -> None:
    files = [f for f in (ROOT / "pipeline").rglob("*") if f.suffix in (".html", ".yaml", ".yml", ".sql", ".json")]
    assert any(f.suffix == ".html" for f in files)
    found = [str(f.relative_to(ROOT)) for f in files if SQL_STATEMENT.search(f.read_text(encoding="utf-8"))]
    assert not found, f"SQL in {found}: the site imports its SQL from pipeline/store/query.py"
