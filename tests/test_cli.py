"""The CLI package: one parser, shared options, read-only commands that never write."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from pipeline.cli import build_parser, main
from pipeline.store import Store

ROOT = Path(__file__).resolve().parent.parent


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_cli_one_main_in_the_package() -> None:
    mains = [p for p in (ROOT / "pipeline").rglob("*.py") if "def main(" in p.read_text(encoding="utf-8")]
    assert mains == [ROOT / "pipeline" / "cli" / "__init__.py"]


@pytest.mark.parametrize("option", ["--db", "--format", "--quiet"])
def test_cli_shared_options_are_spelled_once(option: str) -> None:
    """Every command that has the option gets it from pipeline/cli/common.py."""
    literal = f'"{option}"'
    homes = [p.relative_to(ROOT).as_posix() for p in (ROOT / "pipeline").rglob("*.py")
             if literal in p.read_text(encoding="utf-8")]
    assert homes == ["pipeline/cli/common.py"]


@pytest.mark.parametrize("command", sorted(_subparsers(build_parser())))
def test_cli_every_db_option_has_one_default(command: str) -> None:
    p = _subparsers(build_parser())[command]
    for a in p._actions:
        if "--db" in a.option_strings:
            assert a.default == "claims.db" and a.help


READ_ONLY = [
    ["show-source", "no-such-claim"], ["query", "--official", "Mosaheb"], ["export", "--format", "csv"],
    ["export", "--format", "claimreview"], ["entities"], ["clusters"], ["check"],
    ["series", "--subject", "ISIPO", "--measure", "idle units"], ["doctor", "--no-model"],
]


@pytest.mark.parametrize("argv", READ_ONLY, ids=lambda a: " ".join(a[:2]))
def test_cli_read_only_commands_apply_no_migration(tmp_path: Path, argv: list[str],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A database with a migration not yet applied keeps it pending after a command that only reads."""
    db = tmp_path / "claims.db"
    st = Store(db)
    st.db.execute("delete from _sqlite_migrations where migration_set = 'newsclaims-query' "
                  "and name = '0002_context_columns_in_reading_order'")
    st.close()
    main([*argv, "--db", str(db)])
    capsys.readouterr()
    ro = Store(db, readonly=True)
    assert ro.pending_migrations() == [("newsclaims-query", "0002_context_columns_in_reading_order")]
    ro.close()


@pytest.mark.parametrize(("style", "want"), [
    ("plain", [("12 kilometers", 12, "kilometer"), ("5 liters", 5, "liter")]),
    # NewsQuant's conventions, behind --style only: "a third" is a quantity and metric units are spelt SI
    ("newsquant", [("a third", 0.3333, None), ("12 kilometers", 12, "kilometre"), ("5 liters", 5, "litre")]),
])
def test_cli_quantities_style(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], style: str,
                              want: list[tuple[str, float, str | None]]) -> None:
    import io
    import json

    monkeypatch.setattr("sys.stdin", io.StringIO("Roughly a third of the 12 kilometers of road, and 5 liters.\n"))
    assert main(["quantities", "--style", style]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert [(d["text"], d["value"], d["unit"]) for d in json.loads(line)] == want


def test_cli_quantities_default_style_is_plain(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("A third of the 2 meters.\nNothing here.\n"))
    assert main(["quantities"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        '[{"text": "2 meters", "value": 2, "value_max": null, "unit": "meter", "approx": "=", "direction": null}]',
        "[]",
    ]
