"""A small synthetic claims database for the query-layer tests (no extraction needed)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pipeline.models import Article, Claim, DateMention, Extraction, Official, Organisation, Span
from pipeline.store import Store

A1 = (
    "Ali-Asghar Mosaheb, deputy head of the Iranian Small Industries and Industrial Parks Organization "
    "(ISIPO), said on Monday that 15 trillion rials (about $357 million) has been allocated to revive idle "
    "units. He added that 3,000 idle units were revived in the past Iranian calendar year 1397."
)
A2 = (
    "ISIPO head Ali Asqar Mosaheb said 40 percent of the idle units in industrial parks will be revived by "
    "March 2022. Exports of the parks rose 8% to $1.2 billion in 2020, he said."
)
A3 = (
    "Central Bank governor Abdolnaser Hemmati said the budget for development projects is 20 trillion rials. "
    "Inflation stood at 31 percent."
)


def _sentences(text: str) -> list[Span]:
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch == "." and (i + 1 == len(text) or text[i + 1] == " "):
            out.append(Span(start, i + 1))
            start = i + 2
    return out


def _claim(text: str, figure: str, type_: str, value: str, unit: str | None, *, speaker: str | None,
           subject: str | None, modality: str = "actual", occurrence: int = 0, approx: str = "=",
           equivalent_of: int | None = None, time: tuple[str, str] | None = None) -> Claim:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(figure, start + 1)
    span = Span(start, start + len(figure))
    sent = next(s for s in _sentences(text) if s.start <= span.start < s.end)
    return Claim(type_, figure, Decimal(value), None, approx, unit, None, modality, subject, speaker,
                 time[0] if time else None, time[1] if time else None, span, sent, f"test.{type_}", "test.v1",
                 equivalent_of=equivalent_of)


def extractions() -> list[Extraction]:
    s1 = _sentences(A1)
    a1 = Article(id="tehrantimes/isipo-idle", text=A1, url="https://www.tehrantimes.com/news/1/isipo-idle-units",
                 title="ISIPO allocates 15 trillion rials to revive idle units", published="2019-12-10",
                 source="Tehran Times",
                 raw={"warc_file": "archive/2019.warc.gz", "warc_offset": 1234,
                      "warc_record_id": "<urn:uuid:1b2c3d4e-0000-4000-8000-000000000001>"})
    e1 = Extraction(
        a1,
        (Official("Ali-Asghar Mosaheb", "deputy head", "ISIPO", Span(0, 18), s1[0], "officials.t", "officials.v1"),),
        (
            _claim(A1, "15 trillion rials", "money", "15000000000000", "IRR", speaker="Ali-Asghar Mosaheb",
                   subject="idle units"),
            _claim(A1, "$357 million", "money", "357000000", "USD", speaker="Ali-Asghar Mosaheb",
                   subject="idle units", approx="~", equivalent_of=0),
            _claim(A1, "3,000", "count", "3000", "idle units", speaker="Ali-Asghar Mosaheb", subject="idle units",
                   time=("2018-03-21", "2019-03-20")),
        ),
        (DateMention("on Monday", "2019-12-09", "2019-12-09", "gregorian", Span(A1.index("on Monday"),
                     A1.index("on Monday") + 9), s1[0], "dates.weekday", "dates.v1", role="in"),
         DateMention("1397", "2018-03-21", "2019-03-20", "persian", Span(A1.index("1397"), A1.index("1397") + 4),
                     s1[1], "dates.year", "dates.v1")),
        (Organisation("Iranian Small Industries and Industrial Parks Organization", "ISIPO", Span(39, 97),
                      "orgs.t", "orgs.v1"),),
    )
    s2 = _sentences(A2)
    a2 = Article(id="irna/isipo-target", text=A2, url="https://en.irna.ir/news/2/isipo-target",
                 title="ISIPO targets idle units in industrial parks", published="2021-06-01T09:30:00+04:30",
                 source="IRNA")
    e2 = Extraction(
        a2,
        (Official("Ali Asqar Mosaheb", "head", "ISIPO", Span(11, 28), s2[0], "officials.t", "officials.v1"),),
        (
            _claim(A2, "40 percent", "percent", "40", "%", speaker="Ali Asqar Mosaheb", subject="idle units",
                   modality="target", time=("2022-03-01", "2022-03-31")),
            _claim(A2, "8%", "percent", "8", "%", speaker="Ali Asqar Mosaheb", subject="exports", time=("2020-01-01",
                   "2020-12-31")),
            _claim(A2, "$1.2 billion", "money", "1200000000", "USD", speaker="Ali Asqar Mosaheb", subject="exports",
                   time=("2020-01-01", "2020-12-31")),
        ),
        (DateMention("by March 2022", "2022-03-01", "2022-03-31", "gregorian",
                     Span(A2.index("by March"), A2.index("by March") + 13), s2[0], "dates.month", "dates.v1",
                     role="by"),),
    )
    s3 = _sentences(A3)
    a3 = Article(id="financialtribune/budget", text=A3, url="https://financialtribune.com/3/budget",
                 title="Budget for development projects", published="2018-05-02", source="Financial Tribune")
    e3 = Extraction(
        a3,
        (Official("Abdolnaser Hemmati", "governor", "Central Bank", Span(22, 40), s3[0], "officials.t",
                  "officials.v1"),),
        (
            _claim(A3, "20 trillion rials", "money", "20000000000000", "IRR", speaker="Abdolnaser Hemmati",
                   subject="budget"),
            _claim(A3, "31 percent", "percent", "31", "%", speaker=None, subject="inflation"),
        ),
        (),
    )
    return [e1, e2, e3]


def build(path: Path) -> Path:
    st = Store(path)
    run = st.start_run({"command": "fixture"})
    for ex in extractions():
        st.save_extraction(ex, run_id=run, config_hash="fixture")
    st.finish_run(run, {"processed": 3, "claims": 8})
    st.db.execute("pragma wal_checkpoint(TRUNCATE)")
    st.close()
    return path


def build_empty(path: Path) -> Path:
    Store(path).close()
    return path


def table_counts(db: Path) -> dict[str, int]:
    """Rows per table of a claims database (tests compare them before and after a run)."""
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"select count(*) from [{t}]").fetchone()[0]
                for t in ("articles", "claims", "dates", "people", "skips", "runs")}
    finally:
        conn.close()
