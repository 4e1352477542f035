"""Helpers every XML list parser shares: cheap root sniffing, streaming, error locations.

Lists run to tens of megabytes, so parsers stream them with lxml's ``iterparse`` and free each
record once read; malformed or cut XML becomes a :class:`ParseError` naming the line.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from functools import cache

from lxml import etree

from tamga.model import clean_text
from tamga.sources.base import InputFile, ParseError

# The prolog before the root element: whitespace, XML declaration, processing instructions,
# comments, a doctype. Each alternative starts with a different character, so the scan is linear.
_PROLOG_ROOT = re.compile(
    rb"\A(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*"
    rb"<(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)",
    re.S,
)
_READ_ERRORS = (OSError, EOFError, zlib.error, ValueError)
_LXML_POSITION = re.compile(r",?\s*line \d+, column \d+\s*$")


def read_head(file: InputFile) -> bytes | None:
    """The file's first 64 KiB (decompressed), or ``None`` when it cannot be read."""
    try:
        return file.head()
    except _READ_ERRORS:
        return None


def root_name(head: bytes) -> str | None:
    """Local name of the root element in an XML head, or ``None`` if the bytes are not XML."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    elif head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = head[: len(head) & ~1].decode("utf-16", errors="ignore").encode("utf-8")
    match = _PROLOG_ROOT.match(head)
    if match is None:
        return None
    return match.group(1).decode("ascii", errors="replace")


def xml_root_name(file: InputFile) -> str | None:
    """Local name of the root element from the file's first bytes, or ``None`` if it is not XML.

    Detection must be cheap and must not raise on foreign content (CSV, JSON, binary), so this
    looks only at the 64 KiB head with a regular expression instead of starting a parser.
    """
    head = read_head(file)
    return None if head is None else root_name(head)


def local_name(element: etree._Element) -> str:
    """The tag without its ``{namespace}``: OFAC files exist under several namespaces."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def element_line(element: etree._Element) -> int:
    """The element's line in the file, corrected for libxml2's count past line 65,535.

    libxml2 keeps line numbers in 16 bits and stores larger ones aside; the bundled version
    reports those one too high. Official exports (EU FSF, OFAC sdn.xml) run to hundreds of
    thousands of lines, so an error message would otherwise point one line off.
    """
    line = element.sourceline or 0
    if line > 65535:
        line -= _big_line_offset()
    return line


@cache
def _big_line_offset() -> int:
    """How far libxml2's line numbers past 65,535 are off, measured once on a probe document."""
    probe = etree.fromstring(b"<r>" + b"\n<a/>" * 65540 + b"\n</r>")
    return (probe[-1].sourceline or 0) - 65541


def element_location(element: etree._Element) -> str:
    """``line N, element <X>``: the form ParseError locations take for XML input."""
    return f"line {element_line(element)}, element <{local_name(element)}>"


def _first_bad_utf8(file: InputFile) -> tuple[int, int, int] | None:
    """Line, column and value of the first byte that is not UTF-8 (lxml only says "invalid")."""
    try:
        with file.open() as stream:
            for number, raw in enumerate(stream, start=1):
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    return number, exc.start + 1, raw[exc.start]
    except _READ_ERRORS:
        return None
    return None


def syntax_error(file: InputFile, exc: etree.XMLSyntaxError) -> ParseError:
    """lxml's error as a :class:`ParseError` at the line (and column) it names.

    For bytes that are not UTF-8 the file is scanned for the first bad byte, so the message
    names it as :func:`~tamga.sources.base.decode_utf8` does for CSV files.
    """
    line, column = exc.position if exc.position else (exc.lineno, None)
    message = _LXML_POSITION.sub("", str(exc.msg or exc).strip()) or "syntax error"
    if "encoding" in message.lower() or "utf-8" in message.lower():
        found = _first_bad_utf8(file)
        if found is not None:
            bad_line, bad_column, byte = found
            return ParseError(
                file.display, f"line {bad_line}, column {bad_column}", f"invalid UTF-8 byte 0x{byte:02x}"
            )
    location = f"line {line or 1}" + (f", column {column}" if column else "")
    return ParseError(file.display, location, f"malformed XML: {message}")


def iterate_xml(file: InputFile, root_tag: str, wanted: frozenset[str]) -> Iterator[etree._Element]:
    """Stream ``file`` and yield its root element first, then every element named in ``wanted``.

    Each wanted element is yielded complete (at its end tag) and freed after the caller returns
    to the loop, with the siblings before it, so a whole list never sits in memory. A wrong root,
    cut or malformed XML, bad encoding and unreadable or broken gzip input become
    :class:`ParseError` naming the line.
    """
    try:
        stream = file.open()
    except OSError as exc:
        raise ParseError(file.display, None, f"cannot read file: {exc.strerror or exc}") from None
    with stream:
        context = etree.iterparse(
            stream,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=True,
            remove_comments=True,
            remove_pis=True,
        )
        root = None
        try:
            for event, element in context:
                if root is None:
                    root = element
                    if local_name(element) != root_tag:
                        raise ParseError(
                            file.display,
                            element_location(element),
                            f"root element is <{local_name(element)}>, expected <{root_tag}>",
                        )
                    yield element
                    continue
                if event != "end" or local_name(element) not in wanted:
                    continue
                yield element
                element.clear()
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:
            raise syntax_error(file, exc) from None
        except _READ_ERRORS as exc:
            raise ParseError(file.display, None, f"cannot read file: {exc}") from None
        if root is None:
            raise ParseError(file.display, "line 1", "file holds no XML element")


def child_text(element: etree._Element, path: str) -> str | None:
    """Stripped text of the first element at ``path``, ``None`` when absent or blank."""
    value = element.findtext(path)
    if value is None:
        return None
    value = value.strip()
    return value or None


def add_property(properties: dict[str, list[str]], key: str, value: str | None) -> None:
    """Append ``value`` (whitespace collapsed) to ``properties[key]`` unless empty or already there."""
    value = clean_text(value)
    if not value:
        return
    values = properties.setdefault(key, [])
    if value not in values:
        values.append(value)
