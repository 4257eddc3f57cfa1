"""The README stays true: every Make target and every CLI command is documented there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _make_targets() -> list[str]:
    files = [ROOT / "Makefile", *sorted((ROOT / "mk").glob("*.mk"))]
    targets = set()
    for f in files:
        for m in re.finditer(r"^([a-z][a-z-]*):(?!=)", f.read_text(encoding="utf-8"), re.M):
            targets.add(m.group(1))
    return sorted(targets - {"help"})


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(sub.choices)  # type: ignore[attr-defined]


@pytest.mark.parametrize("target", _make_targets())
def test_docs_every_make_target_is_in_the_readme(target: str) -> None:
    assert f"`make {target}`" in README, f"make {target} is not documented in README.md"


@pytest.mark.parametrize("command", _commands())
def test_docs_every_cli_command_is_in_the_readme_and_has_an_example(command: str) -> None:
    assert f"newsclaims {command}" in README, f"newsclaims {command} is not documented in README.md"
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    helptext = sub.choices[command].format_help()  # type: ignore[attr-defined]
    assert "example" in helptext.lower(), f"newsclaims {command} --help has no example"


def test_docs_readme_starts_with_install_and_test() -> None:
    head = README[:400]
    assert head.index("make install") < head.index("make test")
