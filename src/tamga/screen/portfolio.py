"""Portfolio screening: which holdings of a fund are banned, blocked or restricted, and what share.

Each holding is matched in three steps, and every match says which step found it (its ``basis``):

1. ``isin``: exact identifiers. The ISIN (also the US/Canadian ISIN a CUSIP stands in, the
   British/Irish one a SEDOL stands in), LEI and FIGI are looked up in the index's identifier
   table; tickers ("AAPL US", "0700.HK", "700 HK") in a table of the listed tickers, by code and
   exchange. Dictionary look-ups only.
2. ``name``: the issuer name, share-class and listing suffixes removed ("-A", "Class B", "ADR",
   "-Reg", "H shares", "-W"…), screened as an organisation with :meth:`Screener.match`; each
   distinct name once.
3. ``relation``: the issuer name against the names that listed entities' relations print without
   an entity of their own ("Linked To: …", "owned by …"): the holding is then a listed entity's
   parent, subsidiary or associate, as the data says. A relation does not put the holding itself on
   a list, so it flags the holding as ``restricted`` (for review) whatever the list of the entity.

The status of a holding is the most severe of its matches': ``prohibited`` (an investment ban:
OFAC program CMIC-EO13959, the NS-CMIC list), ``sanctioned`` (blocking: SDN, UN, EU and UK asset
freezes), ``restricted`` (export-control and other lists, relations), else ``clear``; a row that
could not be read (an identifier failing its check digit, say) is ``error`` whatever it matched.
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from tamga.match.index import NameIndex
from tamga.match.score import identifier_key
from tamga.match.screener import Match, Query, Screener
from tamga.model import Designation, Entity, Name
from tamga.names import name_tokens
from tamga.screen.batch import Row, screen_rows
from tamga.screen.holdings import Columns, Holding, HoldingsFile, isins_from, read_holdings
from tamga.sources.base import InputFile
from tamga.store import Store

STATUSES = ("prohibited", "sanctioned", "restricted", "clear", "error")  # most severe first
FLAGGED = ("prohibited", "sanctioned", "restricted")
_SEVERITY = {s: i for i, s in enumerate(STATUSES)}
INVESTMENT_BAN_PROGRAMS = frozenset({"CMIC-EO13959"})
INVESTMENT_BAN_LISTS = frozenset({"NS-CMIC"})
BLOCKING_LISTS = frozenset({"SDN"})
BLOCKING_AUTHORITIES = frozenset({"UN", "EU", "UK"})  # their consolidated lists are asset freezes
NAME_LIMIT = 5  # candidates per issuer name
RELATION_LIST = "related to a listed entity"  # the "list" of holdings found only through a relation


def designation_status(designation: Designation) -> str:
    """What a designation means for a holding: ``prohibited``, ``sanctioned`` or ``restricted``."""
    if designation.program in INVESTMENT_BAN_PROGRAMS or designation.list in INVESTMENT_BAN_LISTS:
        return "prohibited"
    if designation.list in BLOCKING_LISTS or designation.authority in BLOCKING_AUTHORITIES:
        return "sanctioned"
    return "restricted"


def active_designations(entity: Entity) -> list[Designation]:
    return [d for d in entity.designations if not d.removed_on]


def entity_status(entity: Entity) -> str:
    """The most severe status of an entity's designations (``restricted`` for one listed without any)."""
    statuses = [designation_status(d) for d in active_designations(entity)]
    return min(statuses, key=_SEVERITY.__getitem__, default="restricted")


# --- issuer names ---------------------------------------------------------------------------------

# Share classes and listing forms that follow an issuer's name in a security description.
_DASH_SUFFIX = re.compile(
    r"\s*-\s*(?:[A-Z]{1,2}|CL(?:ASS)?\s+[A-Z]|REG(?:\s*S)?|ADR|ADS|GDR|DR|PREF|PFD|PRF|SPON(?:SORED)?\s+ADR|SP\s+ADR|"
    r"UNSP(?:ONSORED)?\s+ADR|RTS|WTS?|CW\d*)\s*$",
    re.IGNORECASE,
)
_WORD_SUFFIX = re.compile(
    r"[\s,]+(?:"
    r"(?:SPON(?:SORED)?|UNSPON(?:SORED)?|SP|UNSP)\.?\s+(?:ADR|ADS|GDR)|"
    r"ADRS?|ADSS?|GDRS?|DRS?|NVDR|DEPOSITARY\s+(?:RECEIPTS?|SHARES?)|"
    r"(?:EACH\s+)?REPR?\.?\s+\d+\s+(?:ORD\s+)?SHS?|"
    r"CL(?:ASS|\.)?\s+[A-Z]|SER(?:IES|\.)?\s+[A-Z]|"
    r"[ABHNS]\s+SH(?:ARES?|S)|[ABHNS]-SH(?:ARES?|S)|"
    r"ORD(?:INARY)?(?:\s+SH(?:ARES?|S))?|COMMON(?:\s+STOCK)?|COM(?:MON)?\s+STK|COM|SHS|SHARES|STOCK|"
    r"PREF(?:ERRED)?(?:\s+SH(?:ARES?|S))?|PFD|PN|ON|UNITS?|NPV|"
    r"REG(?:ISTERED)?(?:\s+SH(?:ARES?|S))?|REG\s+S|144A|BEARER|"
    r"\(THE\)|\((?:ADR|ADS|GDR|CLASS\s+[A-Z]|[ABH]\s+SHARES?|REG\s*S?|144A)\)"
    r")\s*$",
    re.IGNORECASE,
)


def issuer_name(text: str) -> str:
    """A security description cut to its issuer's name: "ALIBABA GROUP HOLDING-SP ADR" ->
    "ALIBABA GROUP HOLDING", "Xiaomi Corp Class B" -> "Xiaomi Corp", "SENSETIME GROUP INC-W" ->
    "SENSETIME GROUP INC", "China Telecom Corp Ltd H Shares" -> "China Telecom Corp Ltd"."""
    name = " ".join(text.split())
    while True:
        cut = _DASH_SUFFIX.sub("", name)
        cut = _WORD_SUFFIX.sub("", cut).rstrip(" ,-/")
        if cut == name or not cut:
            return name
        name = cut


# --- tickers --------------------------------------------------------------------------------------

# Exchange codes that name the same market: Bloomberg's, Yahoo's and Reuters' suffixes.
_EXCHANGES = {
    "CN": ("CN", "CH", "CG", "CS", "C1", "C2", "SS", "SZ", "SH", "SHG", "SHE"),
    "HK": ("HK", "HKG", "HKEX"),
    "US": ("US", "UN", "UW", "UQ", "UA", "UR", "UP", "UV", "N", "O", "OQ", "NYSE", "NASDAQ"),
    "DE": ("DE", "GR", "GY", "GF", "F", "DU", "MU", "BE", "SG_XETRA", "XETRA", "ETR"),
    "SG": ("SG", "SP", "SI", "SGX"),
    "TW": ("TW", "TT", "TWO"),
    "KR": ("KR", "KS", "KQ"),
    "JP": ("JP", "JT", "T"),
    "GB": ("GB", "LN", "L", "LSE"),
    "RU": ("RU", "RM", "ME", "MCX"),
    "BR": ("BR", "BZ", "SA"),
    "AR": ("AR", "AF", "BA"),
    "IN": ("IN", "IB", "IS", "NS", "BO"),
}
_EXCHANGE = {code: market for market, codes in _EXCHANGES.items() for code in codes}
_TICKER = re.compile(r"^\s*([A-Z0-9][A-Z0-9/&]*?)(?:[\s.:]+([A-Z][A-Z0-9_]{0,5}))?(?:\s+EQUITY)?\s*$")


def ticker_key(text: str) -> tuple[str, str | None] | None:
    """(code, market) of a ticker as written in a holdings file or a list: "AAPL US", "0700.HK"
    and "700 HK" give ("AAPL", "US"), ("700", "HK"), ("700", "HK"); no exchange gives ``None``
    for the market. Numeric codes lose their leading zeros, as exchanges pad them differently."""
    found = _TICKER.match(text.upper())
    if not found:
        return None
    code, exchange = found.group(1), found.group(2)
    if code.isdigit():
        code = code.lstrip("0") or "0"
    return code, (_EXCHANGE.get(exchange, exchange) if exchange else None)


# --- the tables built once per screener -----------------------------------------------------------


@dataclass
class PortfolioIndex:
    """What portfolio screening needs beside the screener: listed tickers and relation names."""

    tickers: dict[tuple[str, str | None], list[tuple[int, str]]]  # key -> (entity position, as listed)
    relations: Screener | None  # over the names relations print, one pseudo-entity per name
    related: dict[str, list[tuple[int, str, str]]]  # pseudo id -> (listed position, kind, target name)

    @classmethod
    def build(cls, screener: Screener) -> PortfolioIndex:
        tickers: dict[tuple[str, str | None], list[tuple[int, str]]] = defaultdict(list)
        targets: dict[str, list[tuple[int, str, str]]] = {}
        for position, entity in enumerate(screener.index.entities):
            for identifier in entity.identifiers:
                if identifier.scheme == "ticker":
                    key = ticker_key(identifier.raw or identifier.value)
                    if key is not None and key[1] is not None:
                        tickers[key].append((position, identifier.raw or identifier.value))
                        tickers[(key[0], None)].append((position, identifier.raw or identifier.value))
            for relation in entity.relations:
                if relation.target_name and not (
                    relation.target_id and relation.target_id in screener.index.by_id
                ):
                    text = " ".join(relation.target_name.split())
                    targets.setdefault(text.upper(), []).append((position, relation.kind, text))
        related = {f"relation:{i}": links for i, links in enumerate(targets.values())}
        pseudo = [
            Entity(f"relation:{i}", "Organization", names=[Name(links[0][2])])
            for i, links in enumerate(targets.values())
        ]
        relations = Screener(NameIndex.build(pseudo), screener.threshold) if pseudo else None
        return cls(dict(tickers), relations, related)


_INDEXES: weakref.WeakKeyDictionary[Screener, PortfolioIndex] = weakref.WeakKeyDictionary()


def portfolio_index(screener: Screener) -> PortfolioIndex:
    """The tables of ``screener``, built on first use and kept as long as the screener lives."""
    index = _INDEXES.get(screener)
    if index is None:
        index = _INDEXES[screener] = PortfolioIndex.build(screener)
    return index


# --- results --------------------------------------------------------------------------------------


def designation_dict(d: Designation) -> dict[str, Any]:
    return {
        "authority": d.authority,
        "list": d.list,
        "program": d.program,
        "listed_on": d.listed_on,
        "legal_basis": d.legal_basis,
        "source_url": d.source_url,
    }


@dataclass
class PortfolioMatch:
    entity_id: str
    name: str
    basis: str  # isin | name | relation
    score: float
    status: str  # what this match alone means for the holding
    designations: list[Designation]
    evidence: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "name": self.name,
            "basis": self.basis,
            "score": round(self.score, 4),
            "status": self.status,
            "designations": [designation_dict(d) for d in self.designations],
            "evidence": self.evidence,
        }


@dataclass
class ScreenedHolding:
    holding: Holding
    status: str = "clear"
    matches: list[PortfolioMatch] = field(default_factory=list)
    issuer: str | None = None  # the name screened, suffixes removed
    value: Decimal | None = None
    value_basis: str | None = None  # base_value | market_value | quantity_price | weight

    @property
    def row(self) -> int:
        return self.holding.row

    @property
    def flagged(self) -> bool:
        return self.status in FLAGGED

    @property
    def lists(self) -> list[str]:
        """The lists the holding's issuer is on; a holding found only through a relation is counted
        under :data:`RELATION_LIST`, not under the lists of the entity it is related to."""
        direct = [m for m in self.matches if m.basis != "relation"]
        if not direct and self.matches:
            return [RELATION_LIST]
        return list(dict.fromkeys(d.list for m in direct for d in m.designations))

    @property
    def authorities(self) -> list[str]:
        return list(dict.fromkeys(d.authority for m in self.matches for d in m.designations))

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.holding.row,
            "input": self.holding.input,
            "status": self.status,
            "matches": [m.to_dict() for m in self.matches],
            "error": self.holding.error,
            "name": self.holding.name,
            "issuer": self.issuer,
            "identifiers": self.holding.identifiers,
            "value": _number(self.value),
            "value_basis": self.value_basis,
            "currency": self.holding.currency,
        }


@dataclass
class PortfolioReport:
    """The screened holdings, the summary and the lists screened against; :meth:`to_dict` is the
    JSON contract of ``tamga portfolio --json`` and ``POST /portfolio``."""

    file: str
    columns: Columns
    holdings: list[ScreenedHolding]
    summary: dict[str, Any]
    lists: list[dict[str, Any]]
    threshold: float
    generated_at: datetime

    @property
    def flagged(self) -> list[ScreenedHolding]:
        return [h for h in self.holdings if h.flagged]

    def to_dict(self) -> dict[str, Any]:
        return {
            "holdings": [h.to_dict() for h in self.holdings],
            "summary": self.summary,
            "lists": self.lists,
        }


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)


# --- screening ------------------------------------------------------------------------------------


class RowLimit(Exception):
    """A holdings file with more rows than the caller accepts."""

    def __init__(self, rows: int, limit: int) -> None:
        super().__init__(f"{rows:,} holdings: at most {limit:,}")
        self.rows = rows
        self.limit = limit


def screen_portfolio(
    source: str | Path | InputFile | Sequence[Mapping[str, Any]] | HoldingsFile,
    screener: Screener,
    store: Store | None = None,
    *,
    threshold: float | None = None,
    workers: int = 1,
    snapshots: Iterable[Any] | None = None,
    max_rows: int | None = None,
) -> PortfolioReport:
    """Screen a holdings file (a path, an upload, rows as mappings, or a file already read with
    :func:`~tamga.screen.holdings.read_holdings`) against ``screener``.

    ``store`` (or ``snapshots``, the :class:`~tamga.store.snapshots.SnapshotHead` records the
    screener was built from, as the API holds them) gives the lists' sources and dates. Bad input
    that leaves no holding to read is a :class:`~tamga.sources.base.ParseError`; a bad row is an
    ``error`` holding. More than ``max_rows`` holdings is a :class:`RowLimit`, before any screening.
    """
    threshold = screener.threshold if threshold is None else threshold
    holdings_file = source if isinstance(source, HoldingsFile) else read_holdings(source)
    if max_rows is not None and len(holdings_file.holdings) > max_rows:
        raise RowLimit(len(holdings_file.holdings), max_rows)
    tables = portfolio_index(screener)
    screened = [ScreenedHolding(h) for h in holdings_file.holdings]
    for item in screened:
        _match_identifiers(item, screener, tables)
        if item.holding.name:
            item.issuer = issuer_name(item.holding.name)
    names = list(dict.fromkeys(item.issuer for item in screened if item.issuer))
    by_name = _screen_names(screener, names, threshold, workers)
    by_relation = _screen_names(tables.relations, names, threshold, workers) if tables.relations else {}
    for item in screened:
        if item.issuer:
            _add_name_matches(item, screener, by_name.get(item.issuer, []))
            _add_relation_matches(item, screener, tables, by_relation.get(item.issuer, []))
        item.matches.sort(
            key=lambda m: (_SEVERITY[m.status], {"isin": 0, "name": 1, "relation": 2}[m.basis], -m.score)
        )
        if item.holding.error is not None:
            item.status = "error"
        elif item.matches:
            item.status = min((m.status for m in item.matches), key=_SEVERITY.__getitem__)
    heads = (
        list(snapshots) if snapshots is not None else (store.snapshot_heads() if store is not None else [])
    )
    lists = [
        {
            "source": h.source,
            "snapshot": h.seq,
            "published_at": h.published_at,
            "ingested_at": h.ingested_at.isoformat(timespec="seconds") if h.ingested_at else None,
        }
        for h in heads
    ]
    summary = summarise(screened, holdings_file.columns)
    return PortfolioReport(
        holdings_file.name, holdings_file.columns, screened, summary, lists, threshold, datetime.now(UTC)
    )


def _match_identifiers(item: ScreenedHolding, screener: Screener, tables: PortfolioIndex) -> None:
    index = screener.index
    seen: set[int] = set()
    for scheme, value in item.holding.identifiers.items():
        if scheme == "ticker":
            key = ticker_key(value)
            if key is None:
                continue
            if key[1] is None and key[0].isdigit():
                continue  # a bare number ("700") is a code on too many exchanges to say which
            for position, listed in tables.tickers.get(key, ()):
                _add_identifier_match(item, screener, position, seen, "ticker", value, listed)
            continue
        for key in [value, *isins_from(scheme, value)]:
            for position in index.by_identifier.get(identifier_key(key), ()):
                entity = index.entities[position]
                listed = next(
                    (i for i in entity.identifiers if identifier_key(i.value) == identifier_key(key)), None
                )
                if listed is None or listed.scheme not in ("isin", scheme, "other", "registration"):
                    continue  # the same characters as some other kind of number
                shown = key if key == value else f"{key} (from {scheme.upper()} {value})"
                _add_identifier_match(item, screener, position, seen, listed.scheme, shown, listed.value)
    for scheme, value in item.holding.invalid.items():  # a misprint the list itself carries
        for position in index.by_identifier.get(identifier_key(value), ()):
            shown = f"{value} (fails its check digit, but is listed so)"
            _add_identifier_match(item, screener, position, seen, scheme, shown, value)


def delisted(entity: Entity) -> bool:
    """Every designation of the entity has been removed: it matches nothing any more."""
    return bool(entity.designations) and not active_designations(entity)


def _add_identifier_match(
    item: ScreenedHolding,
    screener: Screener,
    position: int,
    seen: set[int],
    scheme: str,
    value: str,
    listed: str,
) -> None:
    if position in seen:
        return
    seen.add(position)
    entity = screener.index.entities[position]
    if delisted(entity):
        return
    item.matches.append(
        PortfolioMatch(
            entity.id,
            entity.caption,
            "isin",
            1.0,
            entity_status(entity),
            active_designations(entity),
            {"scheme": scheme, "value": value, "listed": listed},
        )
    )


def _screen_names(
    screener: Screener, names: list[str], threshold: float, workers: int
) -> dict[str, list[Match]]:
    rows = [Row(i, None, Query(name, "Organization")) for i, name in enumerate(names)]
    return {
        row.query.name: [m for m in matches if m.score >= threshold and names_agree(m)]
        for row, matches in screen_rows(screener, rows, threshold, NAME_LIMIT, workers)
    }


# Words that say what kind of company, not which: not counted when two names are compared.
GENERIC_WORDS = frozenset(
    [
        "co",
        "company",
        "corp",
        "corporation",
        "group",
        "holding",
        "holdings",
        "limited",
        "ltd",
        "inc",
        "plc",
        "llc",
        "jsc",
        "pjsc",
        "oao",
        "ooo",
        "the",
        "of",
        "and",
    ]
)
MATCHED_PART = 0.8  # a part of the explanation at least this similar counts as met


def names_agree(match: Match) -> bool:
    """Whether every word of one name, and at least half of the other's, were met in the other.

    The scorer may rate an organisation highly on one shared telling word ("China Mobile" against
    "Minsk Special Purpose Mobile Unit", "PetroChina" against "Pars PetroChina Company"); for a
    holding, where the name is all there is, a match must account for most of both names.
    """
    explanation = match.explanation
    query = [t for t in name_tokens(explanation.query_name, "Organization") if t not in GENERIC_WORDS]
    listed = [t for t in name_tokens(explanation.matched_name, "Organization") if t not in GENERIC_WORDS]
    met_query = {t for p in explanation.parts if p.score >= MATCHED_PART for t in p.query.split()}
    met_listed = {t for p in explanation.parts if p.score >= MATCHED_PART for t in p.listed.split()}

    def share(tokens: list[str], met: set[str]) -> float:
        return sum(t in met for t in tokens) / len(tokens) if tokens else 1.0

    of_query, of_listed = share(query, met_query), share(listed, met_listed)
    return min(of_query, of_listed) >= 0.5 and max(of_query, of_listed) == 1.0


def _add_name_matches(item: ScreenedHolding, screener: Screener, matches: list[Match]) -> None:
    known = {m.entity_id for m in item.matches}
    for match in matches:
        entity = screener.entity(match.entity_id)
        if entity is None or entity.id in known or delisted(entity):
            continue
        known.add(entity.id)
        item.matches.append(
            PortfolioMatch(
                entity.id,
                entity.caption,
                "name",
                match.score,
                entity_status(entity),
                active_designations(entity),
                {
                    "query_name": item.issuer,
                    "matched_name": match.explanation.matched_name,
                    "score": round(match.score, 4),
                },
            )
        )


def _add_relation_matches(
    item: ScreenedHolding, screener: Screener, tables: PortfolioIndex, matches: list[Match]
) -> None:
    known = {m.entity_id for m in item.matches}
    for match in matches:
        for position, kind, target in tables.related.get(match.entity_id, ()):
            entity = screener.index.entities[position]
            if entity.id in known or delisted(entity):
                continue
            known.add(entity.id)
            item.matches.append(
                PortfolioMatch(
                    entity.id,
                    entity.caption,
                    "relation",
                    match.score,
                    "restricted",
                    active_designations(entity),
                    {
                        "query_name": item.issuer,
                        "relation": kind,
                        "related_name": target,
                        "score": round(match.score, 4),
                        "note": f"{entity.caption} is listed with '{kind}: {target}'",
                    },
                )
            )


# --- values and the summary -----------------------------------------------------------------------


def holding_value(holding: Holding) -> tuple[Decimal | None, str | None]:
    """A holding's money value and where it came from, else its weight, else nothing."""
    if holding.base_value is not None:
        return holding.base_value, "base_value"
    if holding.market_value is not None:
        return holding.market_value, "market_value"
    if holding.quantity is not None and holding.price is not None:
        return holding.quantity * holding.price, "quantity_price"
    if holding.weight is not None:
        return holding.weight, "weight"
    return None, None


def summarise(screened: list[ScreenedHolding], columns: Columns) -> dict[str, Any]:
    """Totals, the flagged value and share by status, list and jurisdiction, and what to divest.

    Money values are summed when they are in one currency (or in the base currency); otherwise
    weights are summed if every holding has one, else only counts are given, with a warning.
    """
    warnings: list[str] = []
    for item in screened:
        item.value, item.value_basis = holding_value(item.holding)
    money = [i for i in screened if i.value_basis in ("base_value", "market_value", "quantity_price")]
    weighted = [i for i in screened if i.holding.weight is not None]
    currencies = sorted(
        {i.holding.currency for i in money if i.value_basis != "base_value" and i.holding.currency}
    )
    basis = "count"
    currency = None
    by_currency: dict[str, Any] | None = None
    if money and len(currencies) <= 1:
        basis, currency = "value", (currencies[0] if currencies else None)
        if any(i.value_basis == "base_value" for i in money):
            currency = None if currencies else currency
        valued = money
    elif money and len(weighted) == len(screened):
        basis, valued = "weight", weighted
        warnings.append(
            f"values are in several currencies ({', '.join(currencies)}) with no base-currency column: "
            "totals and shares are computed from the weights"
        )
    elif money:
        basis, valued = "mixed_currencies", []
        warnings.append(
            f"values are in several currencies ({', '.join(currencies)}) with no base-currency column "
            "or weight for every holding: totals are given per currency, not added up"
        )
        by_currency = {}
        for code in currencies:
            rows = [i for i in money if i.holding.currency == code]
            total = sum((i.value for i in rows if i.value is not None), Decimal(0))
            flagged = sum((i.value for i in rows if i.flagged and i.value is not None), Decimal(0))
            by_currency[code] = {
                "total_value": _number(total),
                "flagged_value": _number(flagged),
                "flagged_share": _share(flagged, total),
            }
    elif weighted:
        basis, valued = "weight", weighted
    else:
        valued = []
    if basis == "weight":
        for item in screened:
            item.value = item.holding.weight
            item.value_basis = "weight" if item.value is not None else None
    elif basis == "value":
        money_ids = {id(i) for i in money}
        for item in screened:
            if id(item) not in money_ids:
                item.value, item.value_basis = None, None
    valued_set = {id(i) for i in valued}
    unvalued = [i.row for i in screened if id(i) not in valued_set]
    if basis in ("value", "weight") and unvalued:
        warnings.append(
            f"{len(unvalued)} holding(s) have no {'value' if basis == 'value' else 'weight'} and count "
            f"only by number: row(s) {', '.join(map(str, unvalued[:20]))}{'…' if len(unvalued) > 20 else ''}"
        )
    total = sum((i.value for i in valued if i.value is not None), Decimal(0)) if valued else None
    flagged_items = [i for i in screened if i.flagged]

    def group(items: list[ScreenedHolding]) -> dict[str, Any]:
        value = sum((i.value for i in items if id(i) in valued_set and i.value is not None), Decimal(0))
        if total is not None:
            share = _share(value, total)
        elif basis == "count":
            share = _share(Decimal(len(items)), Decimal(len(screened)))
        else:
            share = None  # amounts in several currencies: see by_currency
        return {
            "holdings": len(items),
            "value": _number(value) if total is not None else None,
            "share": share,
        }

    by_status = {s: group([i for i in screened if i.status == s]) for s in STATUSES}
    lists: dict[str, list[ScreenedHolding]] = defaultdict(list)
    authorities: dict[str, list[ScreenedHolding]] = defaultdict(list)
    for item in flagged_items:
        for name in item.lists:
            lists[name].append(item)
        for name in item.authorities:
            authorities[name].append(item)
    flagged = group(flagged_items)
    divest = sorted(flagged_items, key=lambda i: (-(i.value or Decimal(0)), _SEVERITY[i.status], i.row))
    summary: dict[str, Any] = {
        "total_value": _number(total),
        "flagged_value": flagged["value"],
        "flagged_share": flagged["share"],
        "by_status": by_status,
        "by_list": {k: group(v) for k, v in sorted(lists.items(), key=lambda kv: -len(kv[1]))},
        "by_jurisdiction": {k: group(v) for k, v in sorted(authorities.items())},
        "holdings": len(screened),
        "flagged_holdings": len(flagged_items),
        "value_basis": basis,
        "currency": currency,
        "divest": [
            {
                "row": i.row,
                "name": i.holding.name,
                "status": i.status,
                "value": _number(i.value),
                "lists": i.lists,
                "basis": list(dict.fromkeys(m.basis for m in i.matches)),
            }
            for i in divest
        ],
        "columns": columns.to_dict(),
        "warnings": warnings,
    }
    if by_currency is not None:
        summary["by_currency"] = by_currency
    return summary


def _share(part: Decimal, whole: Decimal | None) -> float | None:
    if whole is None or whole == 0:
        return None
    return round(float(part / whole), 6)
