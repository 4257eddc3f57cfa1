import datetime as dt
import json
from pathlib import Path

import pytest

from extractors.dates import find_dates
from extractors.sentences import sentence_of, split_sentences
from extractors.time_attribution import attribute_time, claim_time

ARTICLE = (
    "TEHRAN – ISIPO plans to revive 1400 idle production units by the end of the current Iranian calendar "
    "year (March 19, 2020), IRNA reported on Monday, quoting a deputy with ISIPO. "
    "“ISIPO managed to revive 529 idle production units in the first six months of the current calendar "
    "year and the number is planned to reach 1400 by yearend,” the deputy head told IRNA. "
    "Elaborating on the programs, the official said: “Last year, despite targeting 1,000 units, ISIPO was "
    "able to bring 1,726 small industrial units back into production.” "
    "Back in August, the deputy minister had announced that the ministry allocated 15 trillion rials for "
    "reviving 2000 idle production units across the country. "
    "In the first ten months of the current Iranian calendar year, some 299.9 trillion rials worth of loans "
    "were paid to projects with an over 60 percent physical progress. "
    "Over 19,911 projects registered requests for loans in the mentioned time span, IRNA reported on Sunday. "
    "Currently 22 percent of the SMEs are idle. "
    "Iran aims to save $10 billion by 1400. "
    "Prices have risen 20 percent since March 21, the report said."
)
PUB = dt.date(2019, 12, 10)


@pytest.fixture(scope="module")
def dates():
    return find_dates(ARTICLE, PUB)


@pytest.mark.parametrize(
    ("figure", "occurrence", "expected"),
    [
        ("1400 idle production units", 0, (None, "2020-03-19")),
        ("529 idle production units", 0, ("2019-03-21", "2019-09-22")),
        ("1400 by", 0, (None, "2020-03-19")),
        ("1,000 units", 0, ("2018-03-21", "2019-03-20")),
        ("1,726 small industrial units", 0, ("2018-03-21", "2019-03-20")),
        ("15 trillion rials", 0, (None, None)),
        ("2000 idle production units", 0, (None, None)),
        ("299.9 trillion rials", 0, ("2019-03-21", "2020-01-20")),
        ("60 percent", 0, (None, None)),
        ("19,911 projects", 0, ("2019-03-21", "2020-01-20")),
        ("22 percent", 0, (None, None)),
        ("$10 billion", 0, (None, "2022-03-20")),
        ("20 percent", 0, ("2019-03-21", None)),
    ],
)
def test_time_attribution_article(dates, figure: str, occurrence: int, expected: tuple) -> None:
    i = -1
    for _ in range(occurrence + 1):
        i = ARTICLE.index(figure, i + 1)
    sents = split_sentences(ARTICLE)
    span = (i, i + len(figure.removesuffix(" by")))
    assert claim_time(ARTICLE, sentence_of(sents, i), span, dates, PUB, sentences=sents) == expected


@pytest.mark.parametrize(
    ("text", "figure", "expected", "rule"),
    [
        ("Iran's ISIPO revived 1,185 idle production units during the Iranian calendar year 1398. "
         "The official said the mentioned units returning to operation created jobs for 21,618 persons.",
         "21,618 persons", ("2019-03-21", "2020-03-19"), "time.entity_backref"),
        ("Iran's ministry plans to revive 2,000 idle production units by the end of the current year. "
         "“Of the mentioned 2000 units, 1,338 are based in the industrial parks,” he said.",
         "2000 units", (None, "2020-03-19"), "time.figure_backref"),
        ("Iran's ministry plans to revive 2,000 idle production units by the end of the current year. "
         "“Of the mentioned 2000 units, 1,338 are based in the industrial parks,” he said.",
         "1,338", (None, None), None),
        ("Production in Iran during the first nine months of the current Iranian calendar year increased by "
         "10 percent. During this period exports surpassed imports, and we had export growth of 20 percent.",
         "20 percent", ("2019-03-21", "2019-12-21"), "time.sentence"),
    ],
)
def test_time_attribution_backrefs(text: str, figure: str, expected: tuple, rule: str | None) -> None:
    pub = dt.date(2020, 1, 10)
    found = find_dates(text, pub)
    i = text.index(figure)
    sents = split_sentences(text)
    t = attribute_time(text, sentence_of(sents, i), (i, i + len(figure)), found, pub, sentences=sents)
    assert t.bounds == expected
    assert t.rule_id == rule


def test_time_attribution_without_sentences_argument() -> None:
    text = "Iran exported 2 million tons of steel in the first half of the current Iranian year."
    pub = dt.date(2020, 1, 10)
    i = text.index("2 million tons")
    assert claim_time(text, (0, len(text)), (i, i + 14), find_dates(text, pub), pub) == (
        "2019-03-21", "2019-09-22")


TIME_CASES_FILE = Path(__file__).parent / "cases" / "time_attribution.jsonl"
TIME_CASES = [json.loads(line) for line in TIME_CASES_FILE.read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("case", TIME_CASES, ids=[c["id"] for c in TIME_CASES])
def test_time_attribution_cases(case: dict) -> None:
    text, figure = case["text"], case["figure"]
    pub = dt.date.fromisoformat(case["published"])
    found = find_dates(text, pub)
    i = text.index(figure)
    sents = split_sentences(text)
    t = attribute_time(text, sentence_of(sents, i), (i, i + len(figure)), found, pub, sentences=sents)
    assert t.bounds == tuple(case["expect"])
    assert t.rule_id == case["rule"]
