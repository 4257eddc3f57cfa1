"""`newsclaims query`, the query library and the ClaimReview export, over the synthetic fixture database."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.query.claims import ClaimQuery, QueryError, build_sql, find_claims, parse_amount, parse_since
from pipeline.store import Store
from tests.claims_fixture import build, build_empty

ALL_FIGURES = {"15 trillion rials", "$357 million", "3,000", "40 percent", "8%", "$1.2 billion",
               "20 trillion rials", "31 percent"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("query") / "claims.db")


@pytest.fixture(scope="module")
def store(db: Path) -> Store:
    return Store(db, readonly=True)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _json(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> list[dict[str, object]]:
    code, out, err = _run(capsys, "query", "--db", str(db), "--format", "json", *argv)
    assert code == 0, err
    rows: list[dict[str, object]] = json.loads(out)
    return rows


@pytest.mark.parametrize(
    ("argv", "expect"),
    [
        ((), ALL_FIGURES),
        (("--official", "Ali Asqar Mosaheb"), {"15 trillion rials", "$357 million", "3,000", "40 percent", "8%",
                                               "$1.2 billion"}),
        (("--official", "ALI-ASGHAR mosaheb"), {"15 trillion rials", "$357 million", "3,000", "40 percent", "8%",
                                                "$1.2 billion"}),
        (("--official", "Dr. Hemmati"), {"20 trillion rials"}),
        (("--official", "ISIPO", "--topic", "idle units"), {"15 trillion rials", "$357 million", "3,000",
                                                            "40 percent"}),
        (("--type", "money", "--unit", "irr", "--min-value", "10 trillion", "--since", "2019"),
         {"15 trillion rials"}),
        (("--type", "money", "--min-value", "1e13"), {"15 trillion rials", "20 trillion rials"}),
        (("--min-value", "15,000,000,000,000", "--unit", "IRR"), {"15 trillion rials", "20 trillion rials"}),
        (("--subject", "exports", "--unit", "USD"), {"$1.2 billion"}),
        (("--subject", "Idle"), {"15 trillion rials", "$357 million", "3,000", "40 percent"}),
        (("--since", "2021-06-01"), {"40 percent", "8%", "$1.2 billion"}),
        (("--since", "2021-06-02"), set()),
        (("--modality", "target"), {"40 percent"}),
        (("--type", "count"), {"3,000"}),
        (("--official", "Nobody Atall"), set()),
    ],
)
def test_query_cli_filters(capsys: pytest.CaptureFixture[str], db: Path, argv: tuple[str, ...],
                           expect: set[str]) -> None:
    assert {r["figure"] for r in _json(capsys, db, *argv)} == expect


def test_query_cli_limit_and_order(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    rows = _json(capsys, db, "--limit", "2")
    assert [r["published"] for r in rows] == ["2018-05-02", "2018-05-02"]


def test_query_cli_table_and_csv(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, _ = _run(capsys, "query", "--db", str(db), "--official", "Hemmati")
    assert code == 0
    header, row = out.strip().splitlines()
    assert header.split()[:3] == ["claim_id", "published", "speaker"] and "20 trillion rials" in row
    code, out, _ = _run(capsys, "query", "--db", str(db), "--type", "percent", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["figure"] for r in rows} == {"40 percent", "8%", "31 percent"}
    assert rows[0]["value_exact"] in {"40", "8", "31"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--since", "2019-13-01"), "not a date"),
        (("--since", "yesterday"), "not a date"),
        (("--since", "2019-02-30"), "not a date"),
        (("--min-value", "lots"), "not a number"),
        (("--min-value", "10 zillion"), "unknown scale"),
        (("--type", "budget"), "invalid choice"),
        (("--format", "xml"), "invalid choice"),
        (("--limit", "0"), "positive"),
        (("--bogus", "1"), "unrecognized arguments"),
    ],
)
def test_query_cli_malformed_parameters_get_clear_message(capsys: pytest.CaptureFixture[str], db: Path,
                                                          argv: tuple[str, ...], message: str) -> None:
    with pytest.raises(SystemExit) as e:
        main(["query", "--db", str(db), *argv])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_query_cli_missing_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(capsys, "query", "--db", str(tmp_path / "none.db"))
    assert code == 2 and "make extract" in err


def test_query_cli_empty_database_says_zero(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = _run(capsys, "query", "--db", str(build_empty(tmp_path / "e.db")), "--unit", "USD")
    assert code == 0 and "0 claims" in err and "no claim has unit 'USD'" in err
    assert out.strip().split()[0] == "claim_id"


INJECTIONS = ["'; drop table claims; --", "\" or 1=1 --", "x' union select * from articles --", "%%'--", "_",
              "idle\" OR units", "NEAR(idle units)", "*", "' or ''='"]


@pytest.mark.parametrize("value", INJECTIONS)
@pytest.mark.parametrize("option", ["--official", "--subject", "--unit", "--topic"])
def test_query_cli_injection_strings_are_inert(capsys: pytest.CaptureFixture[str], db: Path, option: str,
                                               value: str) -> None:
    code, out, err = _run(capsys, "query", "--db", str(db), "--format", "json", option, value)
    if code == 2:  # a value with no word to search for is refused, with a message
        assert option == "--topic" and "nothing to search for" in err
    else:
        assert code == 0, err
        figures = {r["figure"] for r in json.loads(out)}
        assert figures < ALL_FIGURES or figures == set()
        if option in ("--subject", "--unit"):  # literal substring / equality: nothing has these values
            assert figures == set()
    assert len(_json(capsys, db)) == 8  # the table is intact


def test_query_sql_is_parameterised() -> None:
    evil = "x'); drop table claims; --"
    sql, params = build_sql(ClaimQuery(official=evil, subject=evil, unit=evil, topic=evil, claim_ids=(evil,)))
    assert "drop" not in sql and evil in params.values()


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_query_sql_text_does_not_depend_on_values(text: str) -> None:
    fields = {"official": text, "subject": text, "unit": text, "topic": text, "claim_ids": (text,)}
    try:
        sql, params = build_sql(ClaimQuery(**fields))  # type: ignore[arg-type]
    except QueryError:
        return
    reference, _ = build_sql(ClaimQuery(official="a", subject="a", unit="a", topic="a", claim_ids=("a",)))
    assert sql == reference and text in params.values()


@pytest.mark.parametrize(
    ("text", "value"),
    [("10 trillion", Decimal("10000000000000")), ("1e13", Decimal("1E+13")), ("1,500", Decimal(1500)),
     ("2.5 billion", Decimal("2500000000")), ("357 million", Decimal(357000000)), ("40", Decimal(40))],
)
def test_query_parse_amount(text: str, value: Decimal) -> None:
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["", "ten", "1e13e4", "-5", "10 zillion", "1.2.3"])
def test_query_parse_amount_refuses(text: str) -> None:
    with pytest.raises(QueryError):
        parse_amount(text)


@pytest.mark.parametrize("text", ["2019", "2019-03", "2019-03-21", "2020-02-29"])
def test_query_parse_since_accepts(text: str) -> None:
    assert parse_since(text) == text


@pytest.mark.parametrize("text", ["19", "2019-3-1", "2019-02-30", "2019/03/21", "21 March 2019", ""])
def test_query_parse_since_refuses(text: str) -> None:
    with pytest.raises(QueryError):
        parse_since(text)


def test_query_min_value_is_exact(store: Store) -> None:
    got = {r["figure"] for r in find_claims(store, ClaimQuery(min_value=Decimal("15000000000000")))}
    assert got == {"15 trillion rials", "20 trillion rials"}
    got = {r["figure"] for r in find_claims(store, ClaimQuery(min_value=Decimal("15000000000000.001")))}
    assert got == {"20 trillion rials"}


# --- ClaimReview export ----------------------------------------------------------------------------------------

def _claim_id(store: Store, figure: str) -> str:
    (row,) = list(store.rows("select id from claims where text = ?", [figure]))
    return str(row["id"])


def test_query_claimreview_export_for_chosen_claims(capsys: pytest.CaptureFixture[str], db: Path,
                                                    store: Store) -> None:
    ids = [_claim_id(store, "15 trillion rials"), _claim_id(store, "31 percent")]
    code, out, err = _run(capsys, "export", "--db", str(db), "--format", "claimreview", "--claim", ids[0],
                          "--claim", ids[1])
    assert code == 0, err
    reviews = json.loads(out)
    assert [r["itemReviewed"]["identifier"] for r in reviews] == [ids[1], ids[0]]  # oldest article first
    cr = reviews[1]
    assert cr["@context"] == "https://schema.org" and cr["@type"] == "ClaimReview"
    assert "15 trillion rials" in cr["claimReviewed"]
    item = cr["itemReviewed"]
    assert item["@type"] == "Claim" and item["datePublished"] == "2019-12-10"
    assert item["name"] == "15 trillion rials (idle units)"
    assert item["author"] == {"@type": "Person", "name": "Ali-Asghar Mosaheb", "jobTitle": "deputy head",
                              "affiliation": {"@type": "Organization", "name": "ISIPO"}}
    assert item["appearance"][0]["@type"] == "CreativeWork"  # its own article first, then other appearances
    assert item["appearance"][0]["url"] == "https://www.tehrantimes.com/news/1/isipo-idle-units"
    assert item["firstAppearance"]["datePublished"] <= item["datePublished"]
    assert cr["reviewRating"]["@type"] == "Rating" and cr["reviewRating"]["ratingValue"] is None
    assert reviews[0]["itemReviewed"]["author"] is None  # unattributed: left for the fact-checker


def test_query_claimreview_export_with_filters(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "reviews.jsonld"
    code, _, err = _run(capsys, "export", "--db", str(db), "--format", "claimreview", "--type", "money",
                        "--unit", "IRR", "--since", "2019", "-o", str(out_file))
    assert code == 0, err
    reviews = json.loads(out_file.read_text())
    assert len(reviews) == 1 and "15 trillion rials" in reviews[0]["claimReviewed"]


def test_query_claimreview_unknown_claim_id(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, err = _run(capsys, "export", "--db", str(db), "--format", "claimreview", "--claim", "nope'--")
    assert code == 2 and "no claim with id nope'--" in err


def test_query_export_jsonl_still_works(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out, _ = _run(capsys, "export", "--db", str(db), "--format", "jsonl")
    assert code == 0 and len(out.strip().splitlines()) == 3
