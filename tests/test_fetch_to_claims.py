"""Fetch from a local server -> archive -> extract -> a claim whose provenance is a WARC record."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.fetch.archive import read_record
from pipeline.store import Store

PAGE = (Path(__file__).parent / "fixtures" / "web" / "tehrantimes_442871.html").read_bytes()


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        if self.path == "/news/442871/ISIPO-to-revive":
            body, status = PAGE, 200
        else:
            body, status = b"not found", 404
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[str]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_fetch_to_claims_provenance_points_at_warc(server: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    archive, db = tmp_path / "archive", tmp_path / "claims.db"
    url = server + "/news/442871/ISIPO-to-revive"
    assert main(["fetch", url, "--archive", str(archive), "--allow-private", "--delay", "0"]) == 0
    assert main(["extract", str(archive), "--db", str(db), "--quiet"]) == 0
    store = Store(db)
    rows = list(store.rows("select c.id, c.text, a.warc_file, a.warc_offset, a.payload_sha256, a.url "
                           "from claims c join articles a on a.id = c.article_id where c.type = 'money'"))
    assert rows, "no money claims from the fetched page"
    row = rows[0]
    rec = read_record(row["warc_file"], row["warc_offset"])
    assert row["text"].split()[0].lstrip("$") in rec.payload.decode("utf-8", "replace")
    capsys.readouterr()
    assert main(["show-source", row["id"], "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert row["text"] in out and row["payload_sha256"][:12] in out
