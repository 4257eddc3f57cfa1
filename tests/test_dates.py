import datetime as dt
import json
from pathlib import Path

import pytest

from extractors.dates import FoundDate, find_dates, load_rules

CASES_FILE = Path(__file__).parent / "cases" / "dates.jsonl"
CASES = [json.loads(line) for line in CASES_FILE.read_text().splitlines() if line.strip()]


def _run(case: dict) -> list[FoundDate]:
    pub = dt.date.fromisoformat(case["published"]) if case.get("published") else None
    return find_dates(case["text"], pub, iranian_source=case.get("iranian_source"))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_dates_cases(case: dict) -> None:
    found = _run(case)
    got = [{"text": d.text, "start": d.date_start, "end": d.date_end, "calendar": d.calendar} for d in found]
    want = [{k: e[k] for k in ("text", "start", "end", "calendar")} for e in case["expect"]]
    assert got == want
    for d, e in zip(found, case["expect"], strict=True):
        assert case["text"][d.start:d.end] == d.text
        if "role" in e:
            assert d.role == e["role"]
        if "gloss_start" in e:
            assert d.gloss_date_start == e["gloss_start"]
            assert (d.gloss_date_start, d.gloss_date_end) != (d.date_start, d.date_end)  # the gloss disagrees


def test_dates_every_rule_fires_on_a_case() -> None:
    fired = {d.rule_id for c in CASES for d in _run(c)}
    extra = [
        ("Talks resumed on 5 May in Vienna.", "2019-06-01"),
        ("The contract was signed on March 19 in Vienna.", "2019-06-01"),
        ("Trade grew in Q3 2019 in Europe.", "2020-01-01"),
        ("The fair runs from March 3 to March 9, 2020 in Berlin.", "2020-01-01"),
        ("Output fell in January-March 2020 in Europe.", "2020-05-01"),
        ("The firm reported a loss yesterday.", "2020-05-01"),
        ("The talks were held in Khordad in Iran.", "2020-07-01"),
        ("Iran's exports in Aban 1398 rose.", "2020-01-01"),
        ("Iran's exports rose in early Dey in Iran.", "2020-01-20"),
        ("Iran's exports rose this August.", "2020-09-01"),
        ("The meeting is planned for later this week.", "2020-09-01"),
        ("The fair runs 3 March - 9 March 2020 in Berlin.", "2020-01-01"),
        ("The plan covers the calendar year 2020.", "2020-01-01"),
        ("The plan covers 1399 Iranian calendar year.", "2020-05-01"),
        ("Sales grew in the past 12 months.", "2020-05-01"),
        ("Iran's exports fell in the second half of the current Iranian year.", "2020-05-01"),
        ("Iran's imports fell in the current Iranian year's first half.", "2020-12-01"),
        ("Iran's exports in the first quarter of the current Iranian year rose.", "2020-12-01"),
        ("The budget (1399) was approved.", "2020-12-01"),
        ("Iran's exports rose, Mehr reported, until Azar.", "2020-12-01"),
    ]
    fired |= {d.rule_id for text, pub in extra for d in find_dates(text, dt.date.fromisoformat(pub))}
    missing = {r.id for r in load_rules()} - fired
    assert not missing


@pytest.mark.parametrize("text", ["Iran's exports rose last year.", "Earlier this month, exports rose."])
def test_dates_relative_needs_published(text: str) -> None:
    found = find_dates(text, None)
    assert found and all(d.date_start is None and d.date_end is None for d in found)


def test_dates_rule_ids_are_unique_and_dotted() -> None:
    ids = [r.id for r in load_rules()]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("dates.") and i.count(".") >= 2 for i in ids)
