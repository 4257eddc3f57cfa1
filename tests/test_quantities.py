"""Sentence-level cases for the quantity layer, parametrised from tests/cases/quantities.jsonl.

Each case lists the expected claim-kind quantities (count, money, percent, quantity) plus durations and
ages when the case names them; a case with ``"expect": []`` must yield no claim-kind quantity.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.quantities import CLAIM_KINDS, PATTERNS, Quantity, find_quantities, quantities_json

CASES = [
    json.loads(line) for line in (Path(__file__).parent / "cases" / "quantities.jsonl").open() if line.strip()
]


def _relevant(qs: list[Quantity], expect: list[dict]) -> list[Quantity]:
    kinds = set(CLAIM_KINDS) | {e["kind"] for e in expect if "kind" in e}
    return [q for q in qs if q.kind in kinds]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_quantities_cases(case: dict) -> None:
    found = _relevant(find_quantities(case["text"]), case["expect"])
    assert len(found) == len(case["expect"]), [(q.text, q.kind, q.value) for q in found]
    for q, exp in zip(found, case["expect"], strict=True):
        for key, want in exp.items():
            got = getattr(q, key)
            if key in ("value", "value_max") and want is not None:
                assert got == Decimal(str(want)), (key, q)
            elif key == "paren_equivalent_of":
                # the index refers to the full returned list: check it points at the expected claim
                full = find_quantities(case["text"])
                assert got is not None and full[got] == found[want], q
            else:
                assert got == want, (key, q)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_quantities_offsets_are_exact(case: dict) -> None:
    text = case["text"]
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.text
        assert q.start <= q.num_start < q.num_end <= q.end or q.kind not in CLAIM_KINDS


def test_quantities_rule_ids_reach_output() -> None:
    qs = find_quantities("Exports rose 8% to $7b, 2,000 units and 724 MW in 1398.")
    assert all(q.rule_id and "." in q.rule_id for q in qs)
    assert {q.kind for q in qs} >= {"percent", "money", "count", "quantity", "year"}


@pytest.mark.parametrize(
    "text, n",
    [("The firm hired 30 people for six months in 2019.", 2), ("Phase 13 opened in 1398.", 0)],
)
def test_quantities_json_tool_format(text: str, n: int) -> None:
    out = quantities_json(text)
    assert len(out) == n
    for d in out:
        assert set(d) == {"text", "value", "value_max", "unit", "approx", "direction"}
        assert isinstance(d["value"], int | float)
    json.dumps(out)


def test_quantities_every_rule_fires_on_a_case() -> None:
    """Each regex rule in patterns/quantities.jsonl is exercised by at least one sentence case."""
    rules = [json.loads(line) for line in (PATTERNS / "quantities.jsonl").open() if line.strip()]
    fired = {q.rule_id for case in CASES for q in find_quantities(case["text"])}
    missing = [r["id"] for r in rules if not r.get("omit") and r["id"] not in fired]
    assert not missing, missing


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "$",
        "1,2,3,4",
        "-",
        "--5--",
        "1e400",
        "9" * 500,
        "$" + "1" * 80 + "bn",
        "(((",
        "one one one one",
    ],
)
def test_quantities_malformed_input_never_raises(text: str) -> None:
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.text


@pytest.mark.parametrize(
    "text, layer, tool, direction",
    [
        ("Stoxx 50 -1.3% on the day.", 1.3, -1.3, "down"),  # a signed change: magnitude in the layer (spec)
        ("Dow +0.2% on the day.", 0.2, 0.2, "up"),
        ("The deposit rate is -0.5%.", -0.5, -0.5, None),  # a signed level stays negative in both
    ],
)
def test_signed_change_value_in_layer_and_tool(text: str, layer: float, tool: float, direction: str | None) -> None:
    """Claims carry a signed change's magnitude; the quantities tool reports the figure as written (as
    NewsQuant and CQE do: "-1.3%" is -1.3, down)."""
    (q,) = [q for q in find_quantities(text) if q.kind == "percent"]
    assert q.value == Decimal(str(layer)) and q.direction == direction
    assert q.signed_change is (direction is not None)
    (d,) = quantities_json(text)
    assert d["value"] == tool and d["direction"] == direction


def test_quantities_rules_name_their_resolver_and_guard() -> None:
    """As in dates.py: every rule of patterns/quantities.jsonl names a resolver (and maybe a guard) that
    exists, and every resolver and guard is named by a rule."""
    from extractors.quantities.rules import GUARDS, RESOLVERS

    rules = [json.loads(line) for line in (PATTERNS / "quantities.jsonl").open() if line.strip()]
    assert {r["resolver"] for r in rules} == set(RESOLVERS)
    assert {r["unless"] for r in rules if "unless" in r} == set(GUARDS)
    assert {r.get("unit") for r in rules} <= {None, "year", "times", "counted_noun"}


@pytest.mark.parametrize(
    "text, rule_id",
    [
        ("Output rose to 5 MW from the first 500 megawatts.", None),  # ordinal.first_n: an amount follows
        ("The first 12 cars were sold.", "ordinal.first_n"),
        ("It fell to minus-5 degrees.", None),  # identifier.attached: a glued prefix is no identifier
    ],
)
def test_quantities_guards_leave_the_match_to_other_stages(text: str, rule_id: str | None) -> None:
    ids = {q.rule_id for q in find_quantities(text)}
    guarded = {"ordinal.first_n", "identifier.attached"}
    assert ids & guarded == ({rule_id} if rule_id else set())
