"""Helpers every XML list parser shares: cheap root sniffing, streaming, error locations.

Lists run to tens of megabytes, so parsers stream them with lxml's ``iterparse`` and free each
record once read; malformed or cut XML becomes a :class:`ParseError` naming the line.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

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
_LXML_POSITION = re.compile(r",\s*line \d+, column \d+\s*$")


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


def element_location(element: etree._Element) -> str:
    """``line N, element <X>``: the form ParseError locations take for XML input."""
    return f"line {element.sourceline}, element <{local_name(element)}>"


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
            line, column = exc.position if exc.position else (exc.lineno, None)
            location = f"line {line or 1}" + (f", column {column}" if column else "")
            message = _LXML_POSITION.sub("", exc.msg or "syntax error")
            raise ParseError(file.display, location, f"malformed XML: {message}") from None
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
