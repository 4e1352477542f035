"""Ingest: from paths on disk to new snapshots in the store.

The order is what makes a failed ingest harmless: every file is detected and parsed in full
before the store is opened for writing, and everything is then written in one transaction. A bad
file therefore stops the run with a :class:`ParseError` while the store is still untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tamga.model import Entity
from tamga.sources import detect, get_format
from tamga.sources.base import FileKind, InputFile, ParseError, ParseResult
from tamga.store import SnapshotWrite, Store
from tamga.store.snapshots import SnapshotOutcome

# Files in a folder that are documentation, never list data.
_SKIP_SUFFIXES = {".md", ".rst", ".html", ".pdf", ".py", ".sh"}


@dataclass
class FileSet:
    """The files of one source in one format, keyed by role (``primary``, ``alt``…, or ``main``)."""

    format: str
    source: str
    files: dict[str, InputFile]
    carried: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    outcomes: list[SnapshotOutcome]
    skipped: list[str]
    warnings: dict[str, list[str]]


ProgressHook = Callable[[str, int], None]
"""Called with (source, entities parsed so far) while parsing, for progress display; then with
(``"store"``, -1) when every set is parsed and the write begins."""


def collect(paths: Iterable[str | Path]) -> tuple[list[tuple[InputFile, FileKind]], list[str]]:
    """Detect every file: named files must be recognised; in folders, unknown files are skipped.

    Folders are read one level deep: a sub-folder is usually an older set of the same list (as in
    ``ofac_sdn/2021-07_watchman_bench/``) and must be ingested on its own to keep its snapshot.
    """
    found: list[tuple[InputFile, FileKind]] = []
    skipped: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.is_dir():
                    skipped.append(f"{child}: sub-folder (ingest it on its own)")
                    continue
                if child.name.startswith(".") or child.suffix.lower() in _SKIP_SUFFIXES:
                    continue
                file = InputFile.from_path(child)
                try:
                    found.append((file, detect(file)))
                except ParseError as exc:
                    skipped.append(f"{child}: {exc.message}")
        elif path.exists():
            file = InputFile.from_path(path)
            found.append((file, detect(file)))
        else:
            raise ParseError(str(path), None, "no such file or folder")
    return found, skipped


def group(
    detected: list[tuple[InputFile, FileKind]], source: str | None = None
) -> tuple[list[FileSet], list[str]]:
    """Group files into one set per source and format.

    Two formats of one source in a folder (OFAC's non-SDN list as CSV and as XML) would make two
    competing snapshots; the first format in detection order is kept and the other skipped.
    """
    sets: dict[tuple[str, str], FileSet] = {}
    for file, kind in detected:
        slug = source or kind.source
        fileset = sets.setdefault((slug, kind.format), FileSet(kind.format, slug, {}))
        if kind.role in fileset.files:
            other = fileset.files[kind.role]
            raise ParseError(
                file.display,
                None,
                f"same role '{kind.role}' of {kind.format} as {other.display}; ingest them apart",
            )
        fileset.files[kind.role] = file
    chosen: dict[str, FileSet] = {}
    skipped: list[str] = []
    for fileset in sets.values():
        if fileset.source in chosen:
            kept = chosen[fileset.source]
            for file in fileset.files.values():
                skipped.append(f"{file.display}: {fileset.source} is already read from {kept.format} here")
            continue
        chosen[fileset.source] = fileset
    if source is not None and len(chosen) > 1:
        raise ParseError(
            ", ".join(s.source for s in chosen.values()), None, "--source applies to one set of files"
        )
    return list(chosen.values()), skipped


def complete(fileset: FileSet, store: Store) -> FileSet:
    """Fill the roles a partial set lacks with the files of the source's latest snapshot.

    This is what lets OFAC's ``alt.csv`` be ingested alone: the new snapshot is the previous one
    with that one file replaced.
    """
    fmt = get_format(fileset.format)
    if set(fmt.roles) <= set(fileset.files) or not store.exists:
        previous: dict[str, InputFile] = {}
    else:
        latest = store.snapshot(fileset.source)
        previous = store.files(fileset.source) if latest and latest.format == fileset.format else {}
    for role, file in previous.items():
        if role not in fileset.files:
            fileset.files[role] = file
            fileset.carried.append(role)
    missing = [r for r in fmt.required_roles if r not in fileset.files]
    if missing:
        names = ", ".join(f.display for f in fileset.files.values())
        raise ParseError(
            names,
            None,
            f"{fileset.format} needs its {' and '.join(missing)} file as well, and {fileset.source} has no "
            "earlier snapshot to take it from",
        )
    return fileset


def parse(fileset: FileSet, progress: ProgressHook | None = None) -> ParseResult:
    fmt = get_format(fileset.format)
    hook = (lambda n: progress(fileset.source, n)) if progress else None
    result = fmt.parse(fileset.files, fileset.source, hook)
    seen: set[str] = set()
    for entity in result.entities:
        if entity.id in seen:
            first = next(iter(fileset.files.values()))
            raise ParseError(first.display, None, f"entity id {entity.id} occurs twice")
        seen.add(entity.id)
    return result


def read_entities(paths: Iterable[str | Path]) -> list[Entity]:
    """Every entity the list files at ``paths`` hold, each folder's as :func:`collect` finds
    and :func:`group` sets them, without a store: what an index built straight from the lists
    (a benchmark, an evaluation) is fed."""
    entities: list[Entity] = []
    for path in paths:
        detected, _ = collect([path])
        filesets, _ = group(detected)
        for fileset in filesets:
            entities.extend(parse(fileset).entities)
    return entities


def prepare(fileset: FileSet, store: Store, progress: ProgressHook | None = None) -> SnapshotWrite:
    """Complete a set from the store's last snapshot and parse it: a snapshot ready to write."""
    complete(fileset, store)
    result = parse(fileset, progress)
    return SnapshotWrite(
        source=fileset.source,
        format=fileset.format,
        files=fileset.files,
        entities=result.entities,
        published_at=result.published_at,
        warnings=result.warnings,
    )


def ingest(
    store: Store,
    paths: Iterable[str | Path],
    source: str | None = None,
    progress: ProgressHook | None = None,
) -> IngestReport:
    """Detect, parse and write: one snapshot per source whose files changed, all in one transaction."""
    paths = list(paths)
    detected, skipped = collect(paths)
    filesets, more_skipped = group(detected, source)
    skipped.extend(more_skipped)
    if not filesets:
        raise ParseError(", ".join(str(p) for p in paths), None, "no list file found")
    writes = [prepare(fileset, store, progress) for fileset in filesets]
    if progress:
        progress("store", -1)
    warnings = {w.source: list(w.warnings) for w in writes}
    return IngestReport(outcomes=store.write(writes), skipped=skipped, warnings=warnings)
