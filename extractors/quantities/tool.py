"""The ``newsclaims quantities`` tool format: {text, value, value_max, unit, approx, direction} per quantity.

The plain format, with no benchmark's conventions: a caller that needs another output style (the CLI's
``--style``) chooses more kinds with :func:`tool_quantities` and respells units through :func:`tool_dict`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from extractors.numbers import normalise
from extractors.quantities.find import find_quantities
from extractors.quantities.lexicons import load
from extractors.quantities.model import Quantity

#: kinds reported by the ``newsclaims quantities`` tool (years, dates and identifiers are not quantities)
TOOL_KINDS = ("count", "money", "percent", "quantity", "duration", "age")


def _json_number(v: Decimal | None) -> int | float | None:
    if v is None:
        return None
    if v == v.to_integral_value():
        return int(v)
    return float(v)


def quantities_json(line: str) -> list[dict[str, Any]]:
    """The ``newsclaims quantities`` tool format: {text, value, value_max, unit, approx, direction} dicts."""
    return [tool_dict(q) for q in tool_quantities(line)]


def tool_quantities(line: str, other_rules: tuple[str, ...] = ()) -> list[Quantity]:
    """The quantities the tool reports: its kinds (not years, dates, identifiers, scores), and the amounts of
    kind "other" whose rule id starts with one of ``other_rules``."""
    return [q for q in find_quantities(line) if q.kind in TOOL_KINDS
            or (q.kind == "other" and bool(other_rules) and q.rule_id.startswith(other_rules))]


def tool_dict(q: Quantity, respell: Callable[[str], str] | None = None) -> dict[str, Any]:
    """One quantity in the tool format; ``respell`` rewrites the unit of a physical quantity."""
    value, value_max, unit = q.value, q.value_max, q.unit
    minor = _minor_units().get(q.rule_id.rsplit(".", 1)[0])
    if minor is not None:  # "19 cents": the tool reports the amount as written, in its minor unit
        factor, unit = minor
        value = normalise(value / factor)
        value_max = normalise(value_max / factor) if value_max is not None else None
    elif q.kind == "quantity" and unit and respell is not None:
        unit = respell(unit)
    if q.signed_change and q.direction == "down":  # "-1.3%": the tool reports the signed figure as written
        value = -value
        value_max = -value_max if value_max is not None else None
    return {
        "text": q.text,
        "value": _json_number(value),
        "value_max": _json_number(value_max),
        "unit": unit,
        "approx": q.approx,
        "direction": q.direction,
    }


@lru_cache(maxsize=1)
def _minor_units() -> dict[str, tuple[Decimal, str]]:
    return {e["id"]: (Decimal(e["factor"]), e["minor"]) for e in load("currencies.jsonl") if e.get("minor")}
