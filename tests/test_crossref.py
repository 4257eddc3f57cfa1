from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.crossref import rebuild_crossref, update_crossref
from pipeline.crossref.report import check_report, iter_clusters, iter_entities
from pipeline.crossref.series import series_points
from pipeline.store import Store
from tests.crossref_fixtures import extractions


def _store(path: Path, ids: list[str] | None = None, incremental: bool = False) -> Store:
    st = Store(path)
    run = st.start_run({"command": "test"})
    exs = extractions()
    for aid in ids or list(exs):
        st.save_extraction(exs[aid], run_id=run, config_hash="h")
        if incremental:
            update_crossref(st, [aid])
    if not incremental:
        rebuild_crossref(st)
    return st


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return _store(tmp_path_factory.mktemp("x") / "c.db")


def _snapshot(st: Store) -> dict[str, Any]:
    return {
        "entities": list(iter_entities(st)),
        "clusters": list(iter_clusters(st)),
        "stories": list(st.rows("select article_id, story_id from stories order by article_id")),
        "flags": list(st.rows("select id, claim_id, rule, reason from flags order by id")),
        "keys": list(st.rows("select * from claim_keys order by claim_id")),
    }


def _entity(st: Store, name: str) -> dict[str, Any]:
    (e,) = [e for e in iter_entities(st) if name in e["variants"]]
    return e


def test_crossref_person_spelling_variants_are_one_person(built: Store) -> None:
    e = _entity(built, "Mohammad-Hossein Karimi")
    assert e["kind"] == "person"
    assert {"Mohammad-Hossein Karimi", "Mohammad Hosein Karimi", "Karimi"} <= set(e["variants"])
    assert e["articles"] == ["fx-2", "fx-3", "fx-4", "fx-5"]
    assert [r["title"] for r in e["roles"]][:1] == ["deputy head"]
    assert any(m["rule"] == "person.name_folded" for m in e["merges"])
    assert _entity(built, "Reza Kazemi")["id"] != e["id"]


def test_crossref_surname_resolved_across_articles_only_when_near_and_unique(built: Store) -> None:
    e = _entity(built, "Mohammad-Hossein Karimi")
    (m,) = [m for m in e["merges"] if m["rule"] == "person.surname_nearby"]
    assert m["evidence"]["article_id"] == "fx-5" and m["evidence"]["surname"] == "karimi"
    assert set(m["evidence"]["full_name_articles"]) <= {"fx-2", "fx-3", "fx-4"}
    far = [x for x in iter_entities(built) if "fx-6" in x["articles"] and x["kind"] == "person"]
    assert len(far) == 1 and far[0]["id"] != e["id"] and far[0]["variants"] == ["Karimi"]


def test_crossref_surname_with_two_candidates_stays_separate() -> None:
    from pipeline.crossref.entities import SURNAME_NEARBY, components

    keys = ["p:karimi@a3", "p:ali karimi", "p:reza karimi"]
    edges = [{"key_a": "p:ali karimi", "key_b": "p:karimi@a3", "rule": SURNAME_NEARBY, "evidence": "{}"},
             {"key_a": "p:karimi@a3", "key_b": "p:reza karimi", "rule": SURNAME_NEARBY, "evidence": "{}"}]
    roots, used = components(keys, edges, set())
    assert len(set(roots.values())) == 3 and used == []
    roots, used = components(keys, edges[:1], set())
    assert roots["p:karimi@a3"] == roots["p:ali karimi"] and len(used) == 1


def test_crossref_acronym_and_ministry_variants_merge_with_evidence(built: Store) -> None:
    isipo = _entity(built, "ISIPO")
    assert isipo["name"] == "Iran Small Industries and Industrial Parks Organization"
    assert any(m["rule"] in ("org.acronym_defined", "org.acronym_in_name") for m in isipo["merges"])
    ministry = _entity(built, "Industry Ministry")
    assert {"Ministry of Industry, Mine and Trade", "Industry, Mining and Trade Ministry"} <= set(ministry["variants"])
    assert ministry["id"] != isipo["id"]


def test_crossref_republished_wire_story_shares_story_id(built: Store) -> None:
    s = {r["article_id"]: r["story_id"] for r in built.rows("select * from stories")}
    assert s["fx-2"] == s["fx-3"] == "story:fx-2"
    assert len({s["fx-1"], s["fx-2"], s["fx-4"], s["fx-5"]}) == 4


def test_crossref_repeated_figure_from_one_official_is_restated_not_corroborated(built: Store) -> None:
    (c,) = [c for c in iter_clusters(built) if c["measure"] == "idle units" and c["modality"] == "actual"
            and c["stories"] > 1]
    # Karimi gives 410 in fx-2 (republished as fx-3) and again in fx-4: one origin, two stories
    assert c["status"] == "restated" and c["stories"] == 2 and c["restatements"] == 1
    assert {a["origin"]["id"] for a in c["appearances"]} == {_entity(built, "Mohammad-Hossein Karimi")["id"]}
    assert [a["article_id"] for a in c["appearances"]] == ["fx-2", "fx-3", "fx-4"]
    assert c["period"] == {"start": "2019-03-21", "end": "2019-09-22"}


def test_crossref_revised_target_is_one_conflicting_cluster(built: Store) -> None:
    (c,) = [c for c in iter_clusters(built) if c["measure"] == "idle SMEs"]
    assert c["status"] == "conflicting"
    assert c["subject"] == "Iran Small Industries and Industrial Parks Organization"
    assert [v["value"] for v in c["values"]] == [1100, 1250]
    assert c["revision"]["from"] == "1100" and c["revision"]["to"] == "1250"
    # "by the end of the current year" (fx-1) and the year's end date (fx-2) are the whole Iranian year 1398
    assert c["period"] == {"start": "2019-03-21", "end": "2020-03-19"}


def test_crossref_single_article_figures_are_not_a_conflict(built: Store) -> None:
    cs = [c for c in iter_clusters(built) if c["measure"] == "units"]
    assert cs and {c["status"] for c in cs} == {"single-source"}
    assert [c["measure"] for c in iter_clusters(built) if c["status"] == "conflicting"] == ["idle SMEs"]


def test_crossref_bad_conversion_flagged_good_one_passes(built: Store) -> None:
    flags = list(built.rows("select * from flags where rule = 'check.conversion_rate' order by article_id"))
    assert [f["article_id"] for f in flags] == ["fx-2", "fx-3"]
    assert "100,000 IRR/USD" in flags[0]["reason"]


def test_crossref_wrong_gloss_flagged_right_gloss_passes(built: Store) -> None:
    flags = list(built.rows("select * from flags where rule = 'check.gregorian_gloss' order by article_id"))
    assert sorted({f["article_id"] for f in flags}) == ["fx-1", "fx-4"]
    assert "2020-03-19" in flags[0]["reason"] and "(March 20, 2020)" in flags[0]["reason"]
    assert any("2019-09-22" in f["reason"] for f in flags)


def test_crossref_part_exceeding_total_flagged(built: Store) -> None:
    (f,) = built.rows("select * from flags where rule = 'check.parts_exceed_total'")
    assert f["article_id"] == "fx-4" and "620" in f["reason"]


def test_crossref_check_report_and_series(built: Store) -> None:
    rep = check_report(built)
    assert rep.splitlines()[1].startswith("Summary: 6 articles in 5 stories.")
    assert "1 conflicting (1 look like revised targets" in rep and "LOOKS LIKE A REVISION" in rep
    conflict = rep[rep.index("== Conflicting"):rep.index("== Consistency")]
    assert "2019-10-20  fx-2  speaker: Mohammad-Hossein Karimi  origin: Mohammad-Hossein Karimi in fixture.example  " \
           "value: 1,250" in conflict
    assert "of which 1250 units are Small and Medium-sized Enterprises" in conflict  # the sentence
    flags = rep[rep.index("== Consistency"):rep.index("== Corroborated")]
    assert flags.index("# story:fx-1") < flags.index("# story:fx-2") < flags.index("# story:fx-4")
    assert "(March 20, 2020)" in flags and "[check.gregorian_gloss]" in flags
    pts = series_points(built, "ISIPO", "idle units")
    assert [p["value"] for p in pts] == [410, 410, 410]
    assert len(series_points(built, "Iran Small Industries and Industrial Parks Organization", "idle SMEs")) == 4


@pytest.mark.parametrize("order", list(itertools.permutations(["fx-1", "fx-2", "fx-3", "fx-4", "fx-5", "fx-6"]))[::97])
def test_crossref_incremental_in_any_order_equals_rebuild(tmp_path: Path, built: Store, order: tuple[str, ...]) -> None:
    inc = _store(tmp_path / "inc.db", list(order), incremental=True)
    assert _snapshot(inc) == _snapshot(built)


def test_crossref_readding_an_article_changes_nothing(tmp_path: Path, built: Store) -> None:
    st = _store(tmp_path / "r.db")
    update_crossref(st, ["fx-2", "fx-4"])
    assert _snapshot(st) == _snapshot(built)


def test_crossref_cli_outputs(tmp_path: Path, built: Store, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(built.path)
    assert main(["entities", "--db", db, "--format", "jsonl"]) == 0
    ents = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all({"id", "kind", "name", "variants", "articles"} <= set(e) for e in ents)
    assert main(["clusters", "--db", db, "--format", "jsonl"]) == 0
    cls = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all({"id", "subject", "measure", "period", "modality", "status", "values", "appearances"} <= set(c)
               for c in cls)
    assert all({"article_id", "published", "text", "value", "speaker"} <= set(a) for c in cls for a in c["appearances"])
    assert main(["check", "--db", db]) == 0
    assert "Consistency flags" in capsys.readouterr().out
    png = tmp_path / "s.png"
    assert main(["series", "--db", db, "--subject", "ISIPO", "--measure", "idle SMEs", "--plot", str(png)]) == 0
    assert png.stat().st_size > 1000


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Ali Asqar Mosaheb", "Asghar Mosaheb", True),
    ("Mohammad-Reza Rahmani", "Reza Rahmani", True),
    ("Reza Rahmani", "Hamid Rahmani", False),
    ("Ali Asqar Mosaheb", "Asghar Karimi", False),
])
def test_crossref_compound_given_name_rule(a: str, b: str, same: bool) -> None:
    from pipeline.crossref.names import compound_given_name_variant, person_key

    assert compound_given_name_variant(person_key(a) or "", person_key(b) or "") is same


@pytest.mark.parametrize(("text", "expect"), [
    ("Head of Iran Small Industries and Industrial Parks Organization (ISIPO) said", [("Iran Small Industries and "
                                                                                     "Industrial Parks Organization",
                                                                                     "ISIPO")]),
    ("The National Iranian Oil Company (NIOC) said", [("National Iranian Oil Company", "NIOC")]),
    ("Exports rose (ISIPO) in the year", []),
    ("output (about $5 million) rose", []),
])
def test_crossref_acronym_definitions(text: str, expect: list[tuple[str, str]]) -> None:
    from pipeline.crossref.names import acronym_definitions

    assert [(f, a) for f, a, _, _ in acronym_definitions(text)] == expect


@pytest.mark.parametrize(("text", "published", "n"), [
    ("ISIPO will revive 10 units by the end of the current Iranian calendar year (March 20, 2020).", "2019-08-01", 1),
    ("ISIPO will revive 10 units by the end of the current Iranian calendar year (March 19, 2020).", "2019-08-01", 0),
    ("Since the beginning of the current Iranian calendar year (March 21, 2019) it rose.", "2019-08-01", 0),
    ("In the past Iranian calendar year (March 2019-March 2020) it rose.", "2020-05-01", 0),
    ("In the current year (1399), which started on March 20, it rose.", "2020-05-01", 0),
    ("Output should double by 1404 (ends on March 2026), the company said in Iran.", "2019-10-07", 0),
    ("Imports fell during the last Iranian calendar year (ended on March 20, 2019), customs said.", "2019-05-01", 0),
    ("Imports fell during the last Iranian calendar year (ended on March 19, 2019), customs said.", "2019-05-01", 1),
    ("Output in the first nine months of the current Iranian calendar year (March 20-December 21, 2019) rose.",
     "2020-01-10", 1),
    ("Exports rose in the first half of the past Iranian calendar year (March 21-September 21, 2019).", "2020-03-30",
     1),
])
def test_crossref_gloss_check(text: str, published: str, n: int) -> None:
    """The check reads the glosses the dates extractor merged into its mentions (stored as date rows)."""
    from pipeline.crossref.checks import check_glosses
    from tests.crossref_fixtures import dates

    rows = [{"calendar": d.calendar, "start_date": d.start, "end_date": d.end, "gloss_text": d.gloss_text,
             "gloss_start_date": d.gloss_start, "gloss_end_date": d.gloss_end, "start": d.span.start,
             "end": d.span.end, "rule_id": d.rule_id} for d in dates(text, published)]
    assert len(check_glosses(text, [], rows)) == n


def _money(cid: str, text: str, full: str, value: str, unit: str) -> dict[str, Any]:
    s = full.index(text)
    return {"id": cid, "type": "money", "text": text, "value_decimal": value, "unit": unit, "start": s,
            "end": s + len(text), "sentence_start": 0, "sentence_end": len(full), "equivalent_of": None}


@pytest.mark.parametrize(("published", "usd", "rule"), [
    ("2019-08-01", "476000000", None),  # 20 trillion / 476 million = 42,017: the official rate
    ("2019-08-01", "200000000", "check.conversion_rate"),  # 100,000: no rate in force
    ("2017-06-01", "476000000", "check.conversion_not_checked"),  # before every listed period
    ("2030-01-01", "476000000", "check.conversion_not_checked"),  # after every listed period
    (None, "476000000", "check.conversion_not_checked"),
])
def test_crossref_conversion_rate_periods(published: str | None, usd: str, rule: str | None) -> None:
    from pipeline.crossref.checks import check_conversions

    text = "It allocated 20 trillion rials (about $X million) to the program."
    cl = [_money("irr", "20 trillion rials", text, "20000000000000", "IRR"),
          _money("usd", "$X million", text, usd, "USD")]
    flags = check_conversions(text, published, cl)
    assert [f["rule"] for f in flags] == ([rule] if rule else [])
    if rule == "check.conversion_not_checked":
        assert flags[0]["reason"].startswith("not checked (no ")


def test_crossref_every_rate_has_a_source_and_a_closed_period() -> None:
    from pipeline.crossref.checks import rates

    for r in rates():
        assert r["source"] and r["start"] and r["end"] and r["start"] <= r["end"], r["id"]


@pytest.mark.parametrize(("surface", "sentence", "expect"), [
    ("ISIPO’s Previous", None, "ISIPO"),
    ("TEHRAN- Iran’s Deputy Industry,", None, "Iran"),
    ("22 percent", None, None),
    ("mentioned units", None, None),
    ("share", None, None),
    ("EF/MA\n\n", None, None),
    ("Industry, Mining and Trade Ministry", None, "Industry, Mining and Trade Ministry"),
    ("Trade", "The data released by the Industry, Mining, and Trade Ministry shows", None),
    ("Isfahan", "Tehran, Isfahan, and Khorasan Razavi provinces had 9785, 8585, 5294 units", "Isfahan"),
])
def test_crossref_subject_validation(surface: str, sentence: str | None, expect: str | None) -> None:
    from pipeline.crossref.names import clean_subject

    assert clean_subject(surface, sentence)[0] == expect


@pytest.mark.parametrize(("head", "ok"), [("units", True), ("idle SMEs", True), ("8585", False), ("45,000", False),
                                          ("idle", False), ("main axe", True)])
def test_crossref_measure_validation(head: str, ok: bool) -> None:
    from pipeline.crossref.measures import valid_head

    assert valid_head(head) is ok


def _frame(sentence: str, figure: str, nth: int = 0) -> str:
    from pipeline.crossref.frames import frame_of

    i = -1
    for _ in range(nth + 1):
        i = sentence.index(figure, i + 1)
    return frame_of({"sentence": sentence, "sentence_start": 0, "start": i, "end": i + len(figure)})[0]


def test_crossref_frame_same_statement_matches_other_figures_do_not() -> None:
    a = '"The share of industrial units in bank facilities is about 31 percent and it must rise," Salehinia added.'
    b = '"The share of industrial units in bank facilities is about 31 percent and it must rise," he added.'
    assert _frame(a, "31 percent") == _frame(b, "31 percent")
    lst = "Tehran, Isfahan, and Khorasan Razavi provinces had 9785, 8585, 5294 active units, respectively."
    assert len({_frame(lst, "9785"), _frame(lst, "8585"), _frame(lst, "5294 active units")}) == 3
    part = "Of the mentioned 2000 units, 1,338 are in industrial parks and currently 400 of them are back in operation."
    assert _frame(part, "1,338") != _frame(part, "400")


def _member(cid: str, value: str, published: str, story: str) -> dict[str, Any]:
    return {"claim_id": cid, "value": value, "approx": "=", "published": published, "story_id": story}


def test_crossref_cluster_status_revision_update_and_plain_conflict() -> None:
    from pipeline.crossref.clusters import cluster_status

    ms = [_member("a", "400", "2020-01-01", "s1"), _member("b", "600", "2020-03-01", "s2")]
    assert cluster_status(ms, "target")[1]["kind"] == "revision"  # type: ignore[index]
    assert cluster_status(ms, "actual", undated=True)[1]["kind"] == "update"  # type: ignore[index]
    status, rev, _, _ = cluster_status(ms, "actual")
    assert status == "conflicting" and rev is None
    assert cluster_status(ms[:1] + [_member("c", "401", "2020-03-01", "s2")], "actual")[0] == "corroborated"
    assert cluster_status([_member("a", "1", "2020-01-01", "s1"), _member("b", "2", "2020-01-01", "s1")],
                          "actual")[0] == "single-source"
