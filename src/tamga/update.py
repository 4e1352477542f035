"""Keeping lists current: download each source's files from its publisher and ingest what changed.

A download is trusted only after it passes every check: HTTP success, a sane size, and detection
as the format the catalogue promises (a publisher's maintenance page is HTML, not a list). Requests
are conditional (ETag, Last-Modified), so an unchanged list costs one round trip. Whatever fails,
the data already in the store stays in service: each source is ingested in its own transaction,
only after all of its files arrived intact.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from tamga import __version__
from tamga.ingest import FileSet, IngestReport, prepare
from tamga.sources import detect
from tamga.sources.base import InputFile, ParseError
from tamga.sources.catalog import SOURCES, Download, SourceInfo
from tamga.store import Store

MIRROR_ENV = "TAMGA_MIRROR"
MAX_BYTES = 500 * 1024 * 1024
RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


DownloadProgress = Callable[[str, int, int | None], None]
"""Called with (file name, bytes received, bytes announced or None) while downloading."""


class UpdateError(Exception):
    """The request itself is wrong (unknown source), as opposed to a download that failed."""


class DownloadError(Exception):
    """A file could not be downloaded intact; the message says which and why."""


@dataclass
class Fetched:
    download: Download
    path: Path | None  # None when the publisher answered 304 Not Modified
    state: dict[str, Any] | None


@dataclass
class UpdateResult:
    source: str
    report: IngestReport | None = None
    not_modified: bool = False
    error: str | None = None


def resolve_url(download: Download, source: str, mirror: str | None) -> str:
    """The publisher's URL, or ``{mirror}/{source}/{filename}`` when a mirror is configured."""
    if mirror:
        return f"{mirror.rstrip('/')}/{source}/{download.filename}"
    return download.url


def fetch(
    client: httpx.Client,
    url: str,
    download: Download,
    dest: Path,
    previous: dict[str, Any] | None,
    retries: int,
    backoff: float = 1.0,
    progress: DownloadProgress | None = None,
) -> Fetched:
    """GET ``url`` into ``dest`` with conditional headers, retries on transient failures, size checks."""
    headers = {}
    if previous:
        if previous.get("etag"):
            headers["If-None-Match"] = previous["etag"]
        if previous.get("last_modified"):
            headers["If-Modified-Since"] = previous["last_modified"]
    last_error = "no attempt made"
    for attempt in range(1, max(retries, 1) + 1):
        try:
            with client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return Fetched(download, None, None)
                if response.status_code in RETRY_STATUS:
                    last_error = f"HTTP {response.status_code} from {url}"
                    raise _Retry
                if response.status_code != 200:
                    raise DownloadError(f"HTTP {response.status_code} from {url}")
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > MAX_BYTES:
                    raise DownloadError(
                        f"{url} announces {int(declared):,} bytes, over the {MAX_BYTES:,} limit"
                    )
                size = 0
                total = int(declared) if declared and declared.isdigit() else None
                with open(dest, "wb") as handle:
                    for chunk in response.iter_bytes(1 << 16):
                        size += len(chunk)
                        if progress:
                            progress(download.filename, size, total)
                        if size > MAX_BYTES:
                            raise DownloadError(f"{url} sent over {MAX_BYTES:,} bytes")
                        handle.write(chunk)
                if declared and declared.isdigit() and size != int(declared):
                    last_error = f"{url} sent {size:,} of {int(declared):,} bytes"
                    raise _Retry
                if size < download.min_bytes:
                    raise DownloadError(
                        f"{url} sent only {size:,} bytes; "
                        f"a real {download.filename} has at least {download.min_bytes:,}"
                    )
                state = {
                    "url": url,
                    "etag": response.headers.get("etag"),
                    "last_modified": response.headers.get("last-modified"),
                    "checked_at": datetime.now(UTC).replace(tzinfo=None, microsecond=0),
                }
                return Fetched(download, dest, state)
        except _Retry:
            pass  # last_error says why; fall through to the pause before the next attempt
        except httpx.RemoteProtocolError as exc:
            last_error = f"incomplete download from {url}: {exc}"
        except httpx.TimeoutException:
            last_error = f"timed out reaching {url}"
        except httpx.TransportError as exc:
            last_error = f"cannot reach {url}: {exc}"
        if attempt < retries:
            time.sleep(backoff * 2 ** (attempt - 1))
    raise DownloadError(f"{last_error} (after {retries} attempts)")


class _Retry(Exception):
    """A transient failure (5xx, 429, a short body): the request is tried again after a pause."""


def update_source(
    store: Store,
    info: SourceInfo,
    client: httpx.Client,
    retries: int,
    mirror: str | None,
    workdir: Path,
    backoff: float = 1.0,
    progress: DownloadProgress | None = None,
) -> UpdateResult:
    """Download one source's files, check them, and ingest them as a new snapshot if they changed."""
    fetched: list[Fetched] = []
    try:
        for download in info.downloads:
            url = resolve_url(download, info.slug, mirror)
            dest = workdir / download.filename
            fetched.append(
                fetch(client, url, download, dest, store.fetch_state(url), retries, backoff, progress)
            )
    except DownloadError as exc:
        return UpdateResult(info.slug, error=str(exc))
    if all(f.path is None for f in fetched):
        return UpdateResult(info.slug, not_modified=True)

    files: dict[str, InputFile] = {}
    formats = set()
    for item in fetched:
        if item.path is None:
            continue
        file = InputFile.from_path(item.path)
        try:
            kind = detect(file)
        except ParseError as exc:
            return UpdateResult(info.slug, error=f"download is not a list file: {exc}")
        if kind.format != item.download.format or kind.role != item.download.role:
            return UpdateResult(
                info.slug,
                error=f"{item.download.filename} came back as {kind.format}/{kind.role}, "
                f"expected {item.download.format}/{item.download.role}",
            )
        files[kind.role] = file
        formats.add(kind.format)
    fileset = FileSet(format=formats.pop(), source=info.slug, files=files)
    try:
        write = prepare(fileset, store)
    except ParseError as exc:
        return UpdateResult(info.slug, error=str(exc))
    outcomes = store.write([write], fetched=[f.state for f in fetched if f.state])
    return UpdateResult(info.slug, report=IngestReport(outcomes, [], {info.slug: list(write.warnings)}))


def update(
    store: Store,
    sources: Sequence[str] | None = None,
    timeout: float = 60.0,
    retries: int = 3,
    mirror: str | None = None,
    log: Callable[[str], Any] | None = None,
    backoff: float = 1.0,
    progress: DownloadProgress | None = None,
) -> list[UpdateResult]:
    """Update the named sources (default: every catalogued one that has a download address);
    one result per source."""
    slugs = list(sources) if sources else [slug for slug, info in SOURCES.items() if info.downloads]
    unknown = [s for s in slugs if s not in SOURCES]
    if unknown:
        raise UpdateError(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(SOURCES)}")
    local = [s for s in slugs if not SOURCES[s].downloads]
    if local:
        raise UpdateError(f"{', '.join(local)}: no download address; ingest from a file with tamga ingest")
    mirror = mirror or os.environ.get(MIRROR_ENV) or None
    results = []
    headers = {"User-Agent": f"tamga/{__version__} (sanctions list screening)"}
    with httpx.Client(timeout=timeout, follow_redirects=True, headers=headers) as client:
        for slug in slugs:
            if log:
                log(f"updating {slug}…")
            workdir = Path(tempfile.mkdtemp(prefix=f"tamga-{slug}-"))
            try:
                results.append(
                    update_source(store, SOURCES[slug], client, retries, mirror, workdir, backoff, progress)
                )
            finally:
                shutil.rmtree(workdir, ignore_errors=True)
    return results
