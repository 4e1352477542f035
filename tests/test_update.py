"""`tamga update` against a local HTTP server that plays the publisher (tests never reach the internet)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tamga.cli import app
from tamga.store import Store
from tamga.update import update

CONS_FILES = ("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv")


class Publisher:
    """What the fake publisher serves, and how it misbehaves."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.fail_next: dict[str, list[int]] = {}  # path -> statuses to answer before serving
        self.truncate: set[str] = set()
        self.html: set[str] = set()
        self.delay = 0.0
        self.requests: list[tuple[str, str | None]] = []


def _handler(pub: Publisher) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            pub.requests.append((self.path, self.headers.get("If-None-Match")))
            if pub.delay:
                time.sleep(pub.delay)
            queued = pub.fail_next.get(self.path)
            if queued:
                self.send_response(queued.pop(0))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.path in pub.html:
                body = b"<html><body>Service temporarily unavailable for maintenance" + b"." * 200_000
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            body = pub.files.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2] if self.path in pub.truncate else body)

    return Handler


@pytest.fixture
def publisher(lists: Path) -> Iterator[tuple[Publisher, str]]:
    pub = Publisher()
    for name in CONS_FILES:
        pub.files[f"/ofac-cons/{name}"] = (lists / "ofac_non_sdn" / name).read_bytes()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(pub))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield pub, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _update(store: Store, mirror: str, **kw: object):
    (result,) = update(store, ["ofac-cons"], mirror=mirror, backoff=0.01, **kw)  # type: ignore[arg-type]
    return result


def test_update_downloads_checks_and_ingests(store: Store, publisher: tuple[Publisher, str]) -> None:
    pub, mirror = publisher
    seen: dict[str, tuple[int, int | None]] = {}
    result = _update(store, mirror, progress=lambda name, done, total: seen.__setitem__(name, (done, total)))
    assert result.error is None
    size = len(pub.files["/ofac-cons/cons_prim.csv"])
    assert seen["cons_prim.csv"] == (size, size)  # progress reported to the last byte
    (outcome,) = result.report.outcomes
    assert outcome.snapshot.counts["entities"] == 442
    assert store.entity("ofac-cons:30946") is not None

    # Unchanged at the publisher: conditional requests answer 304 and no snapshot is made.
    pub.requests.clear()
    again = _update(store, mirror)
    assert again.not_modified
    assert all(etag for _, etag in pub.requests)
    assert len(store.snapshots("ofac-cons")) == 1

    # One file changes: only it is new, the others are carried over from the store.
    alt = pub.files["/ofac-cons/cons_alt.csv"]
    pub.files["/ofac-cons/cons_alt.csv"] = alt.replace(b'"HIKVISION"', b'"HIKVISION GROUP"')
    third = _update(store, mirror)
    assert third.error is None
    assert [s.seq for s in store.snapshots("ofac-cons")] == [1, 2]
    names = [n.full for n in store.entity("ofac-cons:30946").names]
    assert "HIKVISION GROUP" in names and "HANGZHOU HIKVISION DIGITAL TECHNOLOGY" in names
    diff = store.diff("ofac-cons")
    assert [c.id for c in diff.changed] == ["ofac-cons:30946"]


def test_transient_errors_are_retried(store: Store, publisher: tuple[Publisher, str]) -> None:
    pub, mirror = publisher
    pub.fail_next["/ofac-cons/cons_prim.csv"] = [503, 502]
    result = _update(store, mirror, retries=3)
    assert result.error is None
    assert store.snapshot("ofac-cons") is not None


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        ("html", "not a list file"),
        ("truncate", "incomplete download"),
        ("missing", "HTTP 404"),
        ("errors", "HTTP 503"),
    ],
)
def test_bad_downloads_leave_the_loaded_data_in_service(
    store: Store, publisher: tuple[Publisher, str], breakage: str, message: str
) -> None:
    pub, mirror = publisher
    assert _update(store, mirror).error is None
    before = [e.to_dict() for e in store.entities("ofac-cons")]
    path = "/ofac-cons/cons_prim.csv"
    pub.files[path] = (
        pub.files[path] + b'"99999","NEW ENTRY",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
    )
    if breakage == "html":
        pub.html.add(path)
    elif breakage == "truncate":
        pub.truncate.add(path)
    elif breakage == "missing":
        del pub.files[path]
    else:
        pub.fail_next[path] = [503, 503, 503]
    result = _update(store, mirror, retries=3)
    assert result.error is not None and message in result.error
    assert len(store.snapshots("ofac-cons")) == 1
    assert [e.to_dict() for e in store.entities("ofac-cons")] == before


def test_timeouts_and_unreachable_publishers_are_reported(
    store: Store, publisher: tuple[Publisher, str]
) -> None:
    pub, mirror = publisher
    pub.delay = 0.5
    slow = _update(store, mirror, timeout=0.1, retries=2)
    assert slow.error is not None and "timed out" in slow.error
    pub.delay = 0
    closed = _update(store, "http://127.0.0.1:9", retries=1)
    assert closed.error is not None and "cannot reach" in closed.error
    assert store.snapshots("ofac-cons") == []


def test_cli_update_exit_codes(tmp_path: Path, publisher: tuple[Publisher, str]) -> None:
    _, mirror = publisher
    db = f"sqlite:///{tmp_path / 't.db'}"
    runner = CliRunner()
    ok = runner.invoke(app, ["update", "ofac-cons", "--db", db, "--mirror", mirror])
    assert ok.exit_code == 0, ok.output
    assert "snapshot 1" in ok.output
    down = runner.invoke(
        app, ["update", "ofac-cons", "--db", db, "--mirror", "http://127.0.0.1:9", "--retries", "1"]
    )
    assert down.exit_code == 1
    assert "data already loaded stays in service" in down.output
    unknown = runner.invoke(app, ["update", "nonsense", "--db", db])
    assert unknown.exit_code == 2
    assert "unknown source" in unknown.output


def test_sources_without_a_download_address_are_not_updated(store: Store) -> None:
    from tamga.sources.catalog import SOURCES
    from tamga.update import UpdateError, update

    local = [slug for slug, info in SOURCES.items() if not info.downloads]
    assert "eu-oj" in local
    with pytest.raises(UpdateError, match="eu-oj: no download address"):
        update(store, ["eu-oj"])
