"""What the quantity layer returns (:class:`Quantity`, one per numeric expression) and the mutable
candidate the stages refine on the way."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

#: the kinds of quantity that are claims (the others say why a number is not one)
CLAIM_KINDS = ("count", "money", "percent", "quantity")


@dataclass(frozen=True)
class Quantity:
    """One numeric expression: its span, normalised value (and upper bound), unit, approximation, direction,
    kind and the rule that decided it; ``num_start``/``num_end`` are the number's own characters."""

    start: int
    end: int
    text: str
    value: Decimal
    value_max: Decimal | None
    unit: str | None
    approx: str
    direction: str | None
    kind: str
    rule_id: str
    num_start: int
    num_end: int
    paren_equivalent_of: int | None = None
    #: a signed change ("-5.44%", "+12.99"): ``value`` is the magnitude and ``direction`` the sign
    signed_change: bool = False


@dataclass
class Candidate:
    """A quantity on its way through the stages of :func:`~extractors.quantities.find.find_quantities`,
    which refine it in place; ``paren_of`` is the index of the figure it restates in brackets."""

    start: int
    end: int
    num_start: int
    num_end: int
    value: Decimal
    value_max: Decimal | None = None
    unit: str | None = None
    kind: str = "count"
    rule_id: str = "count.bare"
    approx: str = "="
    direction: str | None = None
    is_word: bool = False
    paren_of: int | None = None
    sign: str = ""  # "+" or "-" as written before the number ("minus" is "-")
    signed_change: bool = False
