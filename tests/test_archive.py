import gzip
import hashlib
import json

import pytest

from pipeline.fetch.archive import FetchState, WarcArchive, iter_records, read_record


@pytest.mark.parametrize(
    "payload,encoding",
    [(b"<html><body><p>Exports rose 12%</p></body></html>", None),
     (gzip.compress(b"<html><body><p>gzipped</p></body></html>"), "gzip"),
     (b"", None)],
    ids=["plain", "gzip", "empty"],
)
def test_archive_round_trip_hash_matches(tmp_path, payload, encoding):
    headers = [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")]
    if encoding:
        headers.append(("Content-Encoding", encoding))
    with WarcArchive(tmp_path) as archive:
        first = archive.write_exchange(url="http://a.example/x?y=1", method="GET",
                                       request_headers={"User-Agent": "t"}, status=200, reason="OK",
                                       response_headers=headers, payload=payload)
        second = archive.write_exchange(url="http://a.example/z", method="GET", request_headers={},
                                        status=404, reason="Not Found", response_headers=[], payload=b"nope")
    rec = read_record(first.warc_file, first.warc_offset)
    assert rec.payload == payload
    assert rec.payload_sha256 == first.payload_sha256 == hashlib.sha256(payload).hexdigest()
    assert rec.record_id == first.warc_record_id and rec.status == 200
    assert rec.target_uri == "http://a.example/x?y=1"
    assert rec.header("Transfer-Encoding") is None  # hop-by-hop header not stored
    assert read_record(second.warc_file, second.warc_offset).status == 404
    responses = list(iter_records(tmp_path))
    assert [r.warc_offset for r in responses] == [first.warc_offset, second.warc_offset]
    requests_ = list(iter_records(tmp_path, "request"))
    assert requests_[0].warc_header("WARC-Concurrent-To") == first.warc_record_id


def test_archive_read_record_bad_offset_raises(tmp_path):
    with WarcArchive(tmp_path) as archive:
        ref = archive.write_exchange(url="http://a.example/", method="GET", request_headers={}, status=200,
                                     reason="OK", response_headers=[], payload=b"x")
    with pytest.raises(ValueError):
        read_record(ref.warc_file, ref.warc_offset + 3)
    with pytest.raises(ValueError):
        read_record(ref.warc_file, 10_000_000)


def test_archive_fetch_state_persists(tmp_path):
    state = FetchState.in_archive(tmp_path)
    state.update("http://a.example/x", etag='"v1"', status=200)
    state.save()
    again = FetchState.in_archive(tmp_path)
    assert again.get("http://a.example/x") == {"etag": '"v1"', "status": 200}
    assert json.loads((tmp_path / "fetch-state.json").read_text())["version"] == 1


def test_archive_corrupt_state_starts_fresh_and_keeps_the_file(tmp_path):
    (tmp_path / "fetch-state.json").write_text("{not json")
    state = FetchState.in_archive(tmp_path)
    assert state.get("x") is None and (tmp_path / "fetch-state.corrupt.json").exists()
