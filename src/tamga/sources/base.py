"""What every parser shares: the input file, the parse result, the error, and format detection.

A parser reads files and returns :class:`~tamga.model.Entity` records; it never touches the store or
the network. Each format module exposes one :class:`Format` object; :func:`detect` asks each of them
in turn whether it recognises a file from its first bytes and its name.
"""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from tamga.model import Entity

SNIFF_BYTES = 64 * 1024


class ParseError(Exception):
    """Bad input: names the file and the line or element, so the user can open it and look.

    ``location`` is free text such as ``"line 42"`` or ``"line 812, element <sdnEntry>"``.
    """

    def __init__(self, file: str, location: str | None, message: str) -> None:
        self.file = file
        self.location = location
        self.message = message
        where = f"{file}: {location}" if location else file
        super().__init__(f"{where}: {message}")


@dataclass
class InputFile:
    """A file handed to a parser: read from disk, or from bytes kept by the store.

    Gzip-compressed files (``.gz`` or the gzip magic number) are opened transparently, and ``name``
    is the name without ``.gz`` so that detection by name sees ``sdn.csv``, not ``sdn.csv.gz``.
    """

    name: str
    path: Path | None = None
    data: bytes | None = None
    _sha256: str | None = field(default=None, repr=False)

    @classmethod
    def from_path(cls, path: str | Path) -> InputFile:
        path = Path(path)
        name = path.name[:-3] if path.name.endswith(".gz") else path.name
        return cls(name=name, path=path)

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> InputFile:
        return cls(name=name, data=data)

    @property
    def display(self) -> str:
        """How error messages name this file: its path where it has one."""
        return str(self.path) if self.path is not None else self.name

    def _raw(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return open(self.path, "rb")

    def open(self) -> BinaryIO:
        """A binary stream of the (decompressed) content."""
        raw = self._raw()
        magic = raw.read(2)
        raw.seek(0)
        if magic == b"\x1f\x8b":
            return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        return raw

    def read_bytes(self) -> bytes:
        with self.open() as stream:
            return stream.read()

    def head(self, size: int = SNIFF_BYTES) -> bytes:
        with self.open() as stream:
            return stream.read(size)

    @property
    def sha256(self) -> str:
        """sha256 of the decompressed content: a gzip copy of a file counts as the same file."""
        if self._sha256 is None:
            digest = hashlib.sha256()
            with self.open() as stream:
                for chunk in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(chunk)
            self._sha256 = digest.hexdigest()
        return self._sha256


@dataclass
class FileKind:
    """What detection found: the format, the source slug, and the file's role within a set.

    Multi-file formats (OFAC's CSV set) give each file a role (``primary``, ``alt``, ``add``,
    ``comments``); single-file formats use ``main``.
    """

    format: str
    source: str
    role: str = "main"


@dataclass
class ParseResult:
    """What a parser returns for one source: the entities, the file's own date, and warnings.

    ``published_at`` is an ISO date (or date-time) printed inside the file, or ``None`` where the
    format carries none. ``warnings`` are things a user should know but that do not stop the
    ingest (for example OFAC alias rows whose entity is not in the primary file).
    """

    source: str
    entities: list[Entity]
    published_at: str | None = None
    warnings: list[str] = field(default_factory=list)


Progress = Callable[[int], None]
"""Called by parsers with the number of entities parsed so far, for progress display."""


@dataclass
class Format:
    """A file format the ingest understands.

    ``sniff(file)`` returns a :class:`FileKind` when the file is in this format, else ``None``; it
    should look at the content (``file.head()``) and use the name only to tell apart files whose
    content has the same layout. ``parse(files, source, progress)`` receives every file of one
    set (keyed by role) and returns the records.
    """

    name: str
    sniff: Callable[[InputFile], FileKind | None]
    parse: Callable[[dict[str, InputFile], str, Progress | None], ParseResult]
    roles: tuple[str, ...] = ("main",)
    required_roles: tuple[str, ...] = ("main",)
    description: str = ""


def decode_utf8(data: bytes, file: InputFile) -> str:
    """Decode UTF-8 strictly; on bad bytes raise a :class:`ParseError` naming line and column."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError(
            file.display,
            f"line {line}, column {col}",
            f"invalid UTF-8 byte 0x{data[exc.start]:02x}",
        ) from None


def strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text
