"""The fact-checker's pages in a real browser (issue 10): Debian's headless Chromium driven by Playwright over
`newsclaims serve` on 127.0.0.1, with a database built from fixture articles written for the tests
(tests/fixtures/crossref/independence.jsonl). Steps: open a conflicting claim and see its agreement panel;
follow the link to the other appearance; open the conflicts page; open an entity page; open the series chart
and follow a point to its claim. Screenshots go to the pytest tmp dir and are copied to out/screenshots/
(git-ignored). Skipped when /usr/bin/chromium is missing, except under CI=true, where it fails.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.crossref import rebuild_crossref
from pipeline.crossref.report import iter_clusters
from pipeline.store import Store
from tests.crossref_fixtures import extraction_of, load_articles
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, ROOT, _require_browser, serve_db

FIXTURE = Path(__file__).parent / "fixtures" / "crossref" / "independence.jsonl"
SHOTS = ("agreement-panel", "other-appearance", "conflicts", "entity", "series")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    _require_browser()
    path = tmp_path_factory.mktemp("agreement") / "claims.db"
    st = Store(path)
    run = st.start_run({"command": "test"})
    for a in load_articles(FIXTURE):
        st.save_extraction(extraction_of(a), run_id=run, config_hash="h")
    rebuild_crossref(st)
    (c,) = [c for c in iter_clusters(st) if c["measure"] == "water reservoir"]
    ids = {a["article_id"]: a["claim_id"] for a in c["appearances"]}
    st.close()
    with serve_db(path, tmp_path_factory.getbasetemp() / "datasette-agreement.log") as base:
        yield base, ids


def test_browser_agreement_panel_conflicts_entity_and_chart(site: tuple[str, dict[str, str]], tmp_path: Path
                                                            ) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, ids = site
    shots = {name: tmp_path / f"{name}.png" for name in SHOTS}
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900},
        )
        try:
            page = context.new_page()
            # 1. a conflicting claim and its panel
            page.goto(f"{base}/claim/{ids['ind-8']}")
            expect(page.locator("#agreement-status")).to_contain_text("Conflicting")
            expect(page.locator("#agreement-revision")).to_contain_text("Revision")
            expect(page.locator("#agreement-revision")).to_contain_text("300")
            expect(page.locator("#other-appearances")).to_contain_text("400")
            page.screenshot(path=str(shots["agreement-panel"]), full_page=True)
            # 2. the other appearance
            page.locator("#other-appearances a.nc-other-claim").first.click()
            page.wait_for_url(f"**/claim/{ids['ind-9']}")
            expect(page.locator("#claim-sentence mark.nc-figure")).to_have_text("400 water reservoirs")
            expect(page.locator("#agreement-status")).to_contain_text("Conflicting")
            page.screenshot(path=str(shots["other-appearance"]), full_page=True)
            # 3. the conflicts page
            page.locator("#agreement a[href$='/conflicts']").click()
            page.wait_for_url("**/conflicts")
            expect(page.locator("h1")).to_have_text("Conflicting figures")
            expect(page.locator("section.nc-conflict")).to_have_count(2)  # the revision and the disagreement
            expect(page.locator("body")).to_contain_text("Disagreement")
            page.screenshot(path=str(shots["conflicts"]), full_page=True)
            # 4. an entity page, from a claim's panel
            page.goto(f"{base}/claim/{ids['ind-9']}")
            page.locator("#other-appearances a[href*='/entity/person']").first.click()
            page.wait_for_url("**/entity/person*")
            expect(page.locator("h1")).to_contain_text("Said Tavakoli")
            expect(page.locator("#entity-roles")).to_contain_text("managing director")
            expect(page.locator("#entity-claims a")).to_have_count(2)
            page.screenshot(path=str(shots["entity"]), full_page=True)
            # 5. the chart; a point leads to its claim
            page.goto(f"{base}/claim/{ids['ind-8']}")
            page.locator("#series-link").click()
            page.wait_for_url("**/series?*")
            points = page.locator("#series-chart svg a.nc-point")
            expect(points).to_have_count(2)
            page.screenshot(path=str(shots["series"]), full_page=True)
            points.last.click()
            page.wait_for_url(f"**/claim/{ids['ind-9']}")
        finally:
            context.close()
    keep = ROOT / "out" / "screenshots"
    keep.mkdir(parents=True, exist_ok=True)
    for name, shot in shots.items():
        assert shot.stat().st_size > 10_000, name
        shutil.copyfile(shot, keep / f"agreement-{name}.png")
