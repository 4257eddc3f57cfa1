"""A real browser on the Datasette site: Debian's headless Chromium driven by Playwright. Starts the server on
127.0.0.1, searches for "idle units", opens a claim, checks the highlighted sentence and the source link, and
saves a screenshot (pytest tmp dir, copied to out/screenshots/claim.png). Skipped when /usr/bin/chromium is
missing, except under CI=true, where it fails.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.claims_fixture import build

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: .ci/run must `apt-get install chromium chromium-driver`")
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium chromium-driver)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve_db(db: Path, log_path: Path) -> Iterator[str]:
    """`newsclaims serve` over ``db`` on a free loopback port; yields its base URL and stops it afterwards."""
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            if proc.poll() is not None:
                pytest.fail(f"datasette exited with {proc.returncode}; see {log.name}")
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=1) as r:  # noqa: S310 - localhost
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("datasette did not start within 30 s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_browser()
    db = build(tmp_path_factory.mktemp("browser") / "claims.db")
    with serve_db(db, tmp_path_factory.getbasetemp() / "datasette.log") as base:
        yield base


def test_browser_search_open_claim_see_sentence_and_source(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900},
        )
        try:
            page = context.new_page()
            page.goto(server + "/claims/claims_in_context")
            expect(page.locator("h1")).to_contain_text("Claims in context")
            page.fill("input[name=_search]", "idle units")
            page.press("input[name=_search]", "Enter")
            page.wait_for_url("**_search=idle+units**")
            expect(page.locator("mark.nc-figure").first).to_be_visible()
            rows = page.locator("table.rows-and-columns tbody tr")
            assert rows.count() == 4
            page.screenshot(path=str(tmp_path / "search.png"), full_page=True)
            row = rows.filter(has=page.locator("td.col-figure", has_text=re.compile(r"^\s*15 trillion rials\s*$")))
            row.locator("a.nc-claim-link").click()
            page.wait_for_url("**/claim/*")

            sentence = page.locator("#claim-sentence")
            expect(sentence).to_contain_text("has been allocated to revive idle units")
            mark = sentence.locator("mark.nc-figure")
            expect(mark).to_have_text("15 trillion rials")
            assert mark.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
            source = page.locator("a#source-link")
            expect(source).to_have_attribute("href", "https://www.tehrantimes.com/news/1/isipo-idle-units")
            expect(source).to_contain_text("ISIPO allocates 15 trillion rials")
            expect(page.locator(".nc-claim")).to_contain_text("archive/2019.warc.gz")
            expect(page.locator(".nc-claim")).to_contain_text("15,000,000,000,000 IRR")
            expect(page.locator(".nc-claim")).to_contain_text("$357 million")  # its USD conversion

            shot = tmp_path / "claim.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            context.close()
    assert shot.stat().st_size > 10_000
    keep = ROOT / "out" / "screenshots"
    keep.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, keep / "claim.png")
    shutil.copyfile(tmp_path / "search.png", keep / "search.png")
