"""eval/evaluate.py's command line (the scoring itself needs ../shared and runs in `make eval`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.evaluate import main


def test_evaluate_gold_folder_without_gold_files_is_a_usage_error(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    shared = tmp_path / "shared"
    (shared / "gold" / "dev").mkdir(parents=True)
    (tmp_path / "mine").mkdir()
    assert main(["--shared", str(shared), "--gold", str(tmp_path / "mine")]) == 2
    assert "no gold files" in capsys.readouterr().err


def test_evaluate_without_shared_gold_says_where_to_look(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--shared", str(tmp_path)]) == 2
    assert "give --shared PATH" in capsys.readouterr().err
