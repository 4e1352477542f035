"""Parsers for official list formats, and the detection that picks one for a file.

Each format module exposes ``FORMATS``, a list of :class:`~tamga.sources.base.Format`. Detection
asks every format in the order of :data:`FORMAT_MODULES`; more specific formats come first.
"""

from __future__ import annotations

import importlib
from functools import cache

from tamga.sources.base import FileKind, Format, InputFile, ParseError, ParseResult

FORMAT_MODULES = (
    "tamga.sources.ofac_csv",
    "tamga.sources.ofac_xml",
    "tamga.sources.un_xml",
    "tamga.sources.eu_fsf",
    "tamga.sources.eu_oj",
    "tamga.sources.uk_ofsi",
    "tamga.sources.uk_fcdo",
    "tamga.sources.csl",
    "tamga.sources.ftm",
    "tamga.sources.curated",
)

__all__ = ["FileKind", "Format", "InputFile", "ParseError", "ParseResult", "detect", "formats", "get_format"]


@cache
def formats() -> tuple[Format, ...]:
    """Every known format, in detection order."""
    found: list[Format] = []
    for module_name in FORMAT_MODULES:
        module = importlib.import_module(module_name)
        found.extend(module.FORMATS)
    return tuple(found)


def get_format(name: str) -> Format:
    for fmt in formats():
        if fmt.name == name:
            return fmt
    raise KeyError(name)


def detect(file: InputFile) -> FileKind:
    """The format, source and role of ``file``; a :class:`ParseError` if no format knows it."""
    try:
        head = file.head(512)
    except (OSError, EOFError) as exc:  # EOFError: a truncated gzip file
        raise ParseError(
            file.display, None, f"cannot read file: {getattr(exc, 'strerror', None) or exc}"
        ) from None
    if not head.strip():
        raise ParseError(file.display, None, "file is empty")
    for fmt in formats():
        kind = fmt.sniff(file)
        if kind is not None:
            return kind
    raise ParseError(
        file.display, "line 1", "not a list format tamga knows (" + ", ".join(f.name for f in formats()) + ")"
    )
