"""Quote tables: markdown-style tables of prices and changes (``patterns/quote_tables.jsonl``)."""

from __future__ import annotations

import re
from functools import lru_cache

from extractors.quantities.changes import sign_to_direction
from extractors.quantities.lexicons import load, pattern_data
from extractors.quantities.model import Candidate
from extractors.quantities.text import line_start


@lru_cache(maxsize=1)
def _quote_table_data() -> tuple[dict[str, tuple[str, str]], tuple[str, ...], tuple[str, ...]]:
    """Header (lower case) -> (role, rule id); words and ticker prefixes that mark an index row."""
    headers: dict[str, tuple[str, str]] = {}
    index_words: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    for row in load("quote_tables.jsonl"):
        for h in row.get("headers", []):
            headers[h] = (row["role"], row["id"])
        if row["role"] == "index_row":
            index_words, prefixes = tuple(row["words"]), tuple(row["ticker_prefixes"])
    return headers, index_words, prefixes


_TABLE_BLOCK_RE = re.compile(r"(?:^[ \t]*\|[^\n]*\|[ \t]*(?:\n|$))+", re.M)
_TABLE_SEPARATOR_RE = re.compile(r"[\s|:\-]*")
_HEADER_PAREN_RE = re.compile(r"\s*\((?P<p>[^()]*)\)\s*$")


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of one "| a | b |" row as (start, end) spans, blanks trimmed."""
    pipes = [i for i in range(start, end) if text[i] == "|"]
    out = []
    for a, b in zip(pipes, pipes[1:], strict=False):
        s, e = a + 1, b
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append((s, e))
    return out


def _table_currency(text: str, cands: list[Candidate], header: str) -> tuple[str, str]:
    """The currency of a quote table's prices, and how it was found: named in the column header
    ("Last ($)", "Price (EUR)"), else the currency the article's own amounts are in, else US dollars."""
    data = pattern_data()
    m = _HEADER_PAREN_RE.search(header)
    if m:
        p = m.group("p").strip()
        entry = data.currency_prefix.get(p) or data.currency_prefix.get(p.upper())
        hit = data.currency_suffix.match(p, 0)
        if entry is None and hit is not None and hit[0] == len(p):
            entry = hit[1]
        if entry is not None and not entry.get("factor"):
            return entry["code"], "header"
    counts: dict[str, int] = {}
    for c in cands:
        if c.kind == "money" and c.unit and not text.startswith("|", line_start(text, c.start)):
            counts[c.unit] = counts.get(c.unit, 0) + 1
    if counts:
        return max(counts, key=lambda u: counts[u]), "article"
    return "USD", "default"


def quote_tables(text: str, cands: list[Candidate]) -> None:
    """Figures in a securities quote table ("| Ticker | Security | Last | Change | Change % |"), as the
    parser renders page tables: a bare number under a price column is money (an index row's level is
    points), under a change column a change whose sign is its direction ("-12.99": 12.99, down; spec:
    signed changes). Tables without a security column and a price or change column are left alone."""
    headers, index_words, prefixes = _quote_table_data()
    by_pos = {c.num_start: c for c in cands}
    for block in _TABLE_BLOCK_RE.finditer(text):
        rows = [(m.start() + block.start(), m.end() + block.start()) for m in re.finditer(r"[^\n]+", block.group(0))]
        if len(rows) < 2:
            continue
        head = [text[s:e].strip().lower() for s, e in _cells(text, *rows[0])]
        roles: list[tuple[str, str] | None] = []
        for h in head:
            bare = _HEADER_PAREN_RE.sub("", h).strip()
            roles.append(headers.get(h) or headers.get(bare))
        kinds = {r[0] for r in roles if r}
        if "name" not in kinds or not kinds & {"price", "change", "change_percent"}:
            continue
        currency: tuple[str, str] | None = None
        for rs, re_ in rows[1:]:
            cells = _cells(text, rs, re_)
            if _TABLE_SEPARATOR_RE.fullmatch(text[rs:re_]) or len(cells) != len(head):
                continue
            names = [text[s:e] for (s, e), r in zip(cells, roles, strict=True) if r and r[0] == "name"]
            index_row = any(
                n.startswith(prefixes) or any(re.search(r"\b" + re.escape(w) + r"\b", n.lower()) for w in index_words)
                for n in names
            )
            for (s, e), role in zip(cells, roles, strict=True):
                if role is None or role[0] == "name":
                    continue
                c = next((by_pos[i] for i in range(s, e) if i in by_pos), None)
                if c is None or c.start != s or c.end != e:
                    continue  # the figure must be the whole cell
                kind, rule = role
                if kind == "change_percent":
                    if c.kind == "count" and c.rule_id == "count.bare":
                        c.kind, c.unit = "percent", "%"
                    if c.kind != "percent":
                        continue
                    c.rule_id = rule
                elif c.kind == "count" and c.rule_id == "count.bare" and not c.is_word:
                    if index_row:
                        c.kind, c.unit, c.rule_id = "quantity", "point", rule + ".index"
                    else:
                        if currency is None:
                            currency = _table_currency(text, cands, head[roles.index(role)])
                        c.kind, c.unit, c.rule_id = "money", currency[0], f"{rule}.{currency[1]}_currency"
                elif c.kind not in ("money", "quantity"):
                    continue
                if kind in ("change", "change_percent") and c.direction is None and c.value:
                    if not c.sign:
                        c.sign = "+"  # an unsigned change in a change column is a rise
                    sign_to_direction(c)
