"""Reading the cells of the EU Official Journal sanctions CSVs: lists, numbers, dates, countries.

The transcription keeps the printed wording of the acts and leaves all normalisation to its
reader. Every entity column except ``name`` holds ``;``-separated values (CSV-quoted where a value
contains ``;`` or ``"``), and a value is often a small phrase rather than a bare item:

- numbers with their labels and details: ``A31142734 (Malaysian number, issued on 6.11.2013 …)``,
  ``7730239877, KPP 773001001, OKPO 20239393``, ``(a) Voter ID 7332…, (b) Student ID 200801087``;
- dates with enumerations and alternatives: ``(a) 30.12.1960, (b) 13.12.1960``,
  ``6.3.1955 or 15.3.1955``, ``Between 1968 and 1973``, ``January 1958``;
- nationalities as phrases: ``Ukrainian, Russian``, ``(a) German, (b) Moroccan``, ``allegedly
  Russian``, ``Italian since 1990``.

The functions here take such a value apart into the pieces the model stores, and say when a part
could not be read so that the printed text is kept beside what was understood.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from tamga.countries import country_code
from tamga.dates import parse_dates

# --- multi-valued cells ---------------------------------------------------------------------


def split_cell(text: str) -> list[str]:
    """The values of a multi-valued cell: ``;``-separated, CSV-quoted where a value holds ``;``.

    FORMAT.md defines the cell as a ``;``-delimited CSV record (``"Foo; Bar"; Baz`` is two values),
    so quoted values are decoded with the csv module; the common unquoted case is a plain split.
    """
    text = text.strip()
    if not text:
        return []
    if '"' not in text:
        values = [v.strip() for v in text.split(";")]
    else:
        try:
            values = [v.strip() for v in next(csv.reader([text], delimiter=";", skipinitialspace=True))]
        except (csv.Error, StopIteration):
            values = [v.strip() for v in text.split(";")]
    return list(dict.fromkeys(v for v in values if v))


# Enumeration markers printed inside one value: (a) … (b) …, a) … b) …, (i) … (ii) …
_ENUM = re.compile(r"(?:^|(?<=[\s,;]))\(?(?:[a-h]|i{1,3}|iv|vi{0,3})\)\s*")


def enumerated(text: str) -> list[str]:
    """Split ``(a) X, (b) Y`` into ``[X, Y]``; text without such an enumeration is one item.

    A marker counts only at the start of the text or when at least two markers occur, so a stray
    ``(i)`` inside a single phrase does not cut it.
    """
    markers = _ENUM.findall(text)
    if not markers or (len(markers) < 2 and not _ENUM.match(text)):
        return [text]
    items = (part.strip(" ,;") for part in _ENUM.split(text))
    return [item for item in items if item]


def parentheses(text: str) -> tuple[str, list[str]]:
    """The text outside parentheses (whitespace collapsed), and the outermost parenthesised parts.

    ``DG5149481 (passport issued on 22.8.2006 (Yemen))`` -> ``("DG5149481", ["passport issued on
    22.8.2006 (Yemen)"])``. An unclosed parenthesis keeps the rest of the text inside it.
    """
    if "(" not in text:
        return " ".join(text.split()), []
    outside: list[str] = []
    groups: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "(":
            if depth:
                current.append(char)
            else:
                current = []
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth:
                current.append(char)
            else:
                groups.append("".join(current).strip())
                outside.append(" ")
        elif depth:
            current.append(char)
        else:
            outside.append(char)
    if depth:
        groups.append("".join(current).strip())
    return " ".join("".join(outside).split()), [g for g in groups if g]


# --- countries --------------------------------------------------------------------------------

# Spellings in the transcriptions that the shared country table does not know.
_COUNTRY_SPELLINGS = {"belarussian": "by"}
_COUNTRY_QUALIFIER = re.compile(
    r"^(?:allegedly|assumed|possibly|probably|reportedly|presumably|presumed|of the|of)\s+", re.I
)
_COUNTRY_TAIL = re.compile(r"\s+(?:since|until|from|as at|as of|by birth|by naturali[sz]ation)\b.*$", re.I)
_COUNTRY_SPLIT = re.compile(r"\s*(?:,|;|/|\band\b|\bor\b)\s*", re.I)


@lru_cache(maxsize=8192)
def country_of(text: str | None) -> str | None:
    """ISO alpha-2 (lower case) for a country name or adjective; regions count as their country.

    The shared table resolves ``Moscow Oblast`` to ``ru-mos``; an entity's country is the country.
    """
    if not text:
        return None
    key = text.strip(" .,;:").lower()
    code = _COUNTRY_SPELLINGS.get(key) or country_code(key)
    if code is None:
        return None
    return code.split("-", 1)[0]


@lru_cache(maxsize=4096)
def countries_in(text: str) -> tuple[tuple[str, ...], bool]:
    """The countries a country cell's value names, and whether every part of it was understood.

    ``Ukrainian, Russian (the Union does not recognise …)`` -> ``(("ua", "ru"), True)``;
    ``Indonesian. National Identification No.: …`` -> ``(("id",), False)``.
    """
    whole = country_of(text)
    if whole is not None:
        return (whole,), True
    complete = True
    if ". " in text:
        text, complete = text.split(". ", 1)[0], False
    codes: list[str] = []
    for item in enumerated(text):
        main, _ = parentheses(item)
        for part in _COUNTRY_SPLIT.split(main):
            part = _COUNTRY_TAIL.sub("", _COUNTRY_QUALIFIER.sub("", part.strip(" .,;:")))
            if not part:
                continue
            code = country_of(part)
            if code is None:
                complete = False
            elif code not in codes:
                codes.append(code)
    return tuple(codes), complete and bool(codes)


def _country_in_words(text: str) -> str | None:
    """A country named by one or two capitalised words of a label: ``Provisional German passport``."""
    words = [w.strip(".,:;‘’'\"") for w in text.split()]
    for size in (2, 1):
        for start in range(len(words) - size + 1):
            chunk = words[start : start + size]
            if not chunk[0][:1].isupper() or len(chunk[0]) < 4:
                continue
            code = country_of(" ".join(chunk))
            if code is not None:
                return code
    return None


def _country_in_note(group: str) -> str | None:
    """The country a parenthesised note names: ``(Iran)``, ``(Tunisian passport issued on …)``."""
    bare, _ = parentheses(group)
    head = bare.split(",", 1)[0].strip()
    return country_of(head) or _country_in_words(head)


# --- identifiers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    """One document or registry number found in a cell value.

    ``printed`` is the number as the act prints it, ``scheme`` the identifier scheme (the column's,
    or the one a printed label gives), ``country`` an ISO code where the value names one, and
    ``note`` the printed item (one of an enumeration) when it says more than the number.
    """

    scheme: str
    printed: str
    country: str | None
    note: str | None


# Labels printed beside numbers in the registry columns, in order of precedence.
_LABELS = (
    (re.compile(r"unified social credit code|\buscc\b", re.I), "uscc"),
    (re.compile(r"\bogrnip\b|\bogrn\b|\bpsrn\b|огрн", re.I), "ogrn"),
    (re.compile(r"\bkpp\b|кпп", re.I), "kpp"),
    (re.compile(r"\bokpo\b|окпо", re.I), "okpo"),
    (re.compile(r"\binn\b|инн", re.I), "inn"),
    (re.compile(r"\btin\b|\btax\b|taxpayer|\bunp\b|унп|\bvat\b", re.I), "tax_id"),
)
_IDENTITY_LABEL = re.compile(r"identity|identification", re.I)
_PASSPORT_LABEL = re.compile(r"passport", re.I)
# Where the number ends and its validity details begin.
_DETAILS = re.compile(
    r"[,;]?\s*\b(?:issued|expir\w*|valid\w*|revoked|cancel\w*|on \d|dated?|as of|under (?:the )?name|"
    r"in the name)\b.*$",
    re.I,
)
# A number token; a one- or two-letter series printed apart (``EC 867868``) belongs to it.
_TOKEN = re.compile(r"(?<![\w-])(?:([A-Z]{1,2})[ -](?=\d))?([^\W_][\w\-/.]*[^\W_]|\d)")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
# ``series 6103 No 814361``: a Russian-style passport printed as series and number.
_SERIES_NUMBER = re.compile(r"\bseries\s+([^\W_]+)\s*,?\s*(?:No\.?|№|number)\s*([^\W_]+)", re.I)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_NOT_SERIES = {"ID", "NO", "NR"}
_DATE_TOKEN = re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}$")
_SPACED_DIGITS = re.compile(r"^\d[\d \-]*\d$")
# Columns whose content has one fixed shape: the number is found by that shape.
_SHAPES = {
    "imo": re.compile(r"(?<!\d)\d{7}(?!\d)"),
    "mmsi": re.compile(r"(?<!\d)\d{9}(?!\d)"),
    "lei": re.compile(r"\b[A-Z0-9]{18}\d{2}\b"),
    "swift": re.compile(r"\b[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b"),
}
# Russian registry numbers by digit count. An INN or OGRN label on a number of the other's length
# is a slip (the two are often printed side by side); a number that fits neither is not Russian
# (Uzbekistan's 9-digit taxpayer numbers are printed as ``Tax ID/INN`` too).
_RU_LENGTHS = {"inn": (10, 12), "ogrn": (13, 15), "kpp": (9,)}
_RU_FALLBACK = {"inn": "tax_id", "ogrn": "registration", "kpp": "registration"}
_LABELLED_SCHEMES = {"registration", "tax_id", "national_id", "inn", "ogrn", "kpp", "okpo"}


def _label_scheme(text: str) -> str | None:
    """The scheme the last label in ``text`` names (``TIN (INN): …`` -> ``inn``)."""
    best, scheme = -1, None
    for pattern, label_scheme in _LABELS:
        for match in pattern.finditer(text):
            if match.start() > best:
                best, scheme = match.start(), label_scheme
    return scheme


def _group_scheme(groups: list[str]) -> str | None:
    """The scheme a parenthesised note names, labels taken in order of precedence."""
    for group in groups:
        for pattern, label_scheme in _LABELS:
            if pattern.search(group):
                return label_scheme
    return None


@lru_cache(maxsize=8192)
def numbers_in(text: str, scheme: str) -> tuple[Number, ...]:
    """The numbers in one value of an identifier column whose default scheme is ``scheme``.

    Details after the number (issue and expiry, holder) are not searched for numbers; labels before
    a number (``KPP 773001001``, ``Tax ID/INN``) choose its scheme in the registry columns, and a
    passport column entry labelled as an identity card becomes a ``national_id``. An empty result
    means no number could be found; the caller keeps the printed text.
    """
    found: list[Number] = []
    for item in enumerated(text):
        found.extend(_numbers_in_item(item, scheme))
    return tuple(dict.fromkeys(found))


def _numbers_in_item(item: str, scheme: str) -> list[Number]:
    main, groups = parentheses(_DASHES.sub("-", item))
    first_digit = next((i for i, c in enumerate(main) if c.isdigit()), len(main))
    details = _DETAILS.search(main, first_digit)
    if details is not None:
        main = main[: details.start()]
    main = main.strip(" ,;:-–")
    country = next((c for c in map(_country_in_note, groups) if c), None)
    shape = _SHAPES.get(scheme)
    if shape is not None:
        tokens = [(m.start(), m.group(0)) for m in shape.finditer(main.upper())]
    elif scheme == "ticker":
        tokens = [(0, main)] if main else []
    elif _SPACED_DIGITS.match(main) and sum(c.isdigit() for c in main) >= 4:
        tokens = [(0, main)]  # 3802 634927, 1 402 015 986: one number printed in groups
    elif series := _SERIES_NUMBER.search(main):
        tokens = [(series.start(), f"{series.group(1)} {series.group(2)}")]
    else:
        tokens = list(_tokens(main))
    if not tokens:
        return []
    if country is None:
        country = _country_in_words(main[: tokens[0][0]])
    numbers = []
    last_end = 0
    for start, printed in tokens:
        token_scheme = scheme
        if scheme in _LABELLED_SCHEMES:
            label = _label_scheme(main[last_end:start])
            if label is None and len(tokens) == 1:
                label = _group_scheme(groups)
            token_scheme = label or scheme
        elif scheme == "passport":
            context = " ".join([main[last_end:start], *groups])
            if _IDENTITY_LABEL.search(context) and not _PASSPORT_LABEL.search(context):
                token_scheme = "national_id"
        if token_scheme in _RU_LENGTHS:
            token_scheme = _russian_scheme(token_scheme, printed)
        last_end = start + len(printed)
        numbers.append(
            Number(
                scheme=token_scheme,
                printed=printed,
                country="ru" if token_scheme in _RU_FALLBACK else country,
                note=item if item.strip() != printed else None,
            )
        )
    return numbers


def _russian_scheme(scheme: str, printed: str) -> str:
    """``scheme`` (inn, ogrn or kpp) checked against the number: Russian numbers are all digits."""
    digits = printed.replace(" ", "").replace("-", "")
    if not digits.isdigit():
        return _RU_FALLBACK[scheme]
    if len(digits) in _RU_LENGTHS[scheme]:
        return scheme
    if scheme != "kpp":
        for other in ("inn", "ogrn"):
            if len(digits) in _RU_LENGTHS[other]:
                return other
    return _RU_FALLBACK[scheme]


def _tokens(text: str) -> list[tuple[int, str]]:
    """Number-like tokens (four digits or more, not dates) with their offsets; ``INN/KPP`` pairs split."""
    tokens: list[tuple[int, str]] = []
    for match in _TOKEN.finditer(text):
        series, body = match.group(1), match.group(2).rstrip(".")
        if sum(c.isdigit() for c in body) < 4 or _DATE_TOKEN.match(body):
            continue
        pieces = body.split("/")
        if len(pieces) > 1 and all(p.isdigit() and len(p) >= 6 for p in pieces):
            offset = match.start(2)
            for piece in pieces:
                tokens.append((offset, piece))
                offset += len(piece) + 1
            continue
        if series and series not in _NOT_SERIES:
            tokens.append((match.start(), f"{series} {body}"))
        else:
            tokens.append((match.start(2), body))
    if len(tokens) > 1:  # "…, officially cancelled in 2013": a year beside a number is no number
        tokens = [t for t in tokens if not _YEAR.match(t[1])] or tokens
    return tokens


# --- dates ------------------------------------------------------------------------------------

_BETWEEN = re.compile(r"^between\s+(\d{4})\s+and\s+(\d{4})$", re.I)
_DATE_SPLIT = re.compile(r"\s*(?:;|\bor\b|\band\b|/|,\s*(?=\d|[A-Z][a-z]+\.?\s+\d|circa|approx))\s*", re.I)
_DATE_QUALIFIER = re.compile(
    r"^(?:probably|possibly|reportedly|allegedly|approximately|approx\.?|circa|around|about|"
    r"on or (?:about|around))(?:\s+|$)",
    re.I,
)
_OTHER_CALENDAR = re.compile(r"hijri|solar|persian", re.I)


@lru_cache(maxsize=8192)
def dates_in(text: str) -> tuple[tuple[str, ...], bool]:
    """ISO dates (possibly partial) in one date value, and whether all of it was understood.

    ``(a) 30.12.1960, (b) 13.12.1960`` -> both days; ``Between 1968 and 1973`` -> each year;
    ``24.6.1402 (Hijri Calendar)`` is left out (and the value marked as not fully read).
    """
    whole = parse_dates(text)
    if whole:
        return tuple(whole), True
    dates: list[str] = []
    complete = True
    for item in enumerated(text):
        main, groups = parentheses(item)
        if any(_OTHER_CALENDAR.search(g) for g in groups):
            complete = False
            continue
        groups_are_qualifiers = all(_DATE_QUALIFIER.match(g.strip()) for g in groups)
        complete = complete and groups_are_qualifiers
        main = _DATE_QUALIFIER.sub("", main.strip(" ,;"))
        between = _BETWEEN.match(main)
        pieces = [f"{between.group(1)} to {between.group(2)}"] if between else _DATE_SPLIT.split(main)
        for piece in pieces:
            if not piece:
                continue
            parsed = parse_dates(piece)
            if not parsed:
                complete = False
            dates.extend(d for d in parsed if d not in dates)
    return tuple(dates), complete and bool(dates)
