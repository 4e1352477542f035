"""Subjects: the same person or organisation as several lists publish it.

The US, the EU and the UK each list Zhu Hailun under their own spelling and id, and a curated
record adds dates the lists do not print. To say who is designated where, those records must
be one subject. Two records join when the evidence is strong enough to defend to an analyst:

- a shared strong identifier (passport or national id with agreeing country, ISIN, LEI, IMO…);
- names that match and a birth date that agrees, with no country in conflict;
- names that match and a designation that agrees (same jurisdiction, and the same program or
  the same listing date), with no birth date or country in conflict: how a curated record of
  an action meets the list entry the action created;
- for organisations, names that match closely and a country, or a jurisdiction that lists both,
  in common.

Records of one source never join each other (the source itself says they differ), which also
keeps a chain of near-misses from gluing unrelated clusters together. An analyst's ``link``
joins two records whatever the evidence, an ``unlink`` keeps them apart; every run starts from
those judgements, so they survive re-clustering.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from tamga.match.index import NameIndex
from tamga.match.screener import Query, Screener
from tamga.model import Entity
from tamga.screen.batch import Row, default_workers, screen_rows
from tamga.store.subjects import LINK, Judgement, Lifetime, Membership, pair
from tamga.tracker.jurisdictions import jurisdiction_of, program_codes

NAME_WITH_FACTS = 0.88  # a name match this good joins records when a birth date or designation agrees
ORG_NAME = 0.95  # an organisation's name match this good joins records on its own
NAMES_PER_RECORD = 4  # spellings of a record compared with the other lists
STRONG_SCHEMES = {
    "passport",
    "national_id",
    "tax_id",
    "registration",
    "isin",
    "lei",
    "imo",
    "uscc",
    "ogrn",
    "inn",
}
COUNTRY_BOUND = {"passport", "national_id"}  # the same number in two countries is two documents


@dataclass(frozen=True)
class Edge:
    """Evidence that two records are one subject, strongest first when sorted by ``rank``."""

    a: str
    b: str
    kind: str
    detail: str
    rank: float


def _birth_agrees(a: Entity, b: Entity) -> bool | None:
    """True if some birth dates agree (one a prefix of the other), False if all conflict, None if
    either has none."""
    if not a.birth_dates or not b.birth_dates:
        return None
    return any(x.startswith(y) or y.startswith(x) for x in a.birth_dates for y in b.birth_dates)


def _countries(entity: Entity) -> set[str]:
    return {c.code.lower() for c in entity.countries if c.code}


def _countries_conflict(a: Entity, b: Entity) -> bool:
    ca, cb = _countries(a), _countries(b)
    return bool(ca and cb and not ca & cb)


def _designations_agree(a: Entity, b: Entity) -> str | None:
    """A description of a designation both records carry, or None."""
    for da in a.designations:
        for db in b.designations:
            if jurisdiction_of(da.authority) != jurisdiction_of(db.authority):
                continue
            if da.listed_on and db.listed_on and da.listed_on[:10] == db.listed_on[:10]:
                return f"both {jurisdiction_of(da.authority)}, listed {da.listed_on[:10]}"
            shared = program_codes(da.program) & program_codes(db.program)
            if shared:
                return f"both {jurisdiction_of(da.authority)} {'/'.join(sorted(shared))}"
    return None


def identifier_edges(records: Iterable[Entity]) -> list[Edge]:
    """Pairs of records from different sources that share a strong identifier."""
    holders: dict[tuple[str, str], list[tuple[Entity, str | None]]] = defaultdict(list)
    for entity in records:
        for ident in entity.identifiers:
            if ident.scheme in STRONG_SCHEMES and ident.valid is not False and len(ident.value) >= 5:
                holders[(ident.scheme, ident.value)].append((entity, (ident.country or "").lower() or None))
    edges = []
    for (scheme, value), group in holders.items():
        if len(group) < 2 or len(group) > 10:  # a number on dozens of records is a placeholder
            continue
        for i, (a, country_a) in enumerate(group):
            for b, country_b in group[i + 1 :]:
                if a.source == b.source or a.id == b.id:
                    continue
                if scheme in COUNTRY_BOUND and country_a and country_b and country_a != country_b:
                    continue
                edges.append(Edge(a.id, b.id, "identifier", f"{scheme} {value}", 2.0))
    return edges


def _spellings(entity: Entity) -> list[str]:
    primary = [n.full for n in entity.names if n.kind == "primary"]
    others = [n.full for n in entity.names if n.kind in ("aka", "fka", "nka")]
    return list(dict.fromkeys(primary + others))[:NAMES_PER_RECORD]


def name_edges(
    records: list[Entity],
    screener: Screener,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> list[Edge]:
    """Pairs of records from different sources whose names match and whose facts agree.

    Each pair of sources is compared once, from the smaller source's side: a list of a few
    hundred curated records asks the index a few hundred questions, not fifteen thousand. The
    questions are screened like a batch file, on every core.
    """
    sizes = Counter(e.source for e in records)
    order = {source: i for i, (source, _) in enumerate(sorted(sizes.items(), key=lambda kv: (kv[1], kv[0])))}
    rows = [
        Row(line=i, id=entity.id, query=Query(spelling, schema=entity.schema))
        for i, entity in enumerate(e for e in records if order[e.source] < len(order) - 1)
        for spelling in _spellings(entity)
    ]
    by_id = {e.id: e for e in records}
    edges: dict[tuple[str, str], Edge] = {}
    workers = default_workers() if workers is None else workers
    results = screen_rows(screener, rows, threshold=NAME_WITH_FACTS, limit=20, workers=workers)
    for done, (row, found) in enumerate(results, 1):
        if progress is not None and done % 1000 == 0:
            progress(done, len(rows))
        entity = by_id[row.id or ""]
        for match in found:
            other = by_id.get(match.entity_id)
            if other is None or order[other.source] <= order[entity.source] or match.score < NAME_WITH_FACTS:
                continue
            edge = _judge(entity, other, match.score, f"{row.query.name} ≈ {match.name}")
            key = pair(entity.id, other.id)
            if edge is not None and (key not in edges or edge.rank > edges[key].rank):
                edges[key] = edge
    if progress is not None:
        progress(len(rows), len(rows))
    return list(edges.values())


def _judge(a: Entity, b: Entity, score: float, names: str) -> Edge | None:
    """The edge two name-matched records make, or None when the facts do not carry it."""
    if a.schema != b.schema or _countries_conflict(a, b):
        return None
    birth = _birth_agrees(a, b)
    if birth is False:
        return None
    detail = f"{names} ({score:.2f})"
    if birth:
        return Edge(a.id, b.id, "name and birth date", f"{detail}; born {a.birth_dates[0]}", 1.0 + score)
    agreed = _designations_agree(a, b)
    if agreed:
        return Edge(a.id, b.id, "name and designation", f"{detail}; {agreed}", 0.5 + score)
    if a.schema != "Person" and score >= ORG_NAME:
        if _countries(a) & _countries(b):
            return Edge(a.id, b.id, "organisation name and country", detail, score)
        shared = _jurisdictions(a) & _jurisdictions(b)
        if shared:
            return Edge(
                a.id,
                b.id,
                "organisation name and jurisdiction",
                f"{detail}; both {'/'.join(sorted(shared))}",
                score,
            )
    return None


def _jurisdictions(entity: Entity) -> set[str]:
    return {jurisdiction_of(d.authority) for d in entity.designations}


class _Clusters:
    """Union-find over records that refuses a union joining two records of one source or two
    records an analyst split."""

    def __init__(self, records: Iterable[Entity], unlinked: set[tuple[str, str]]) -> None:
        self.records: dict[str, Entity] = {}
        self.parent: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}
        self.sources: dict[str, Counter[str]] = {}
        self.unlinked = unlinked
        for e in records:
            self.records[e.id] = e
            self.parent[e.id] = e.id
            self.members[e.id] = {e.id}
            self.sources[e.id] = Counter([e.source])

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def blocked(self, ra: str, rb: str) -> bool:
        small, large = sorted((ra, rb), key=lambda r: len(self.members[r]))
        return any(pair(x, y) in self.unlinked for x in self.members[small] for y in self.members[large])

    def conflict(self, ra: str, rb: str) -> bool:
        """Whether some record of one cluster contradicts some record of the other: two records
        that each agree with a third (which gives no country) need not agree with each other."""
        for x in self.members[ra]:
            for y in self.members[rb]:
                a, b = self.records[x], self.records[y]
                if _countries_conflict(a, b) or _birth_agrees(a, b) is False:
                    return True
        return False

    def union(self, a: str, b: str, forced: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.blocked(ra, rb):
            return False
        if not forced and (self.sources[ra].keys() & self.sources[rb].keys() or self.conflict(ra, rb)):
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        self.sources[ra] += self.sources.pop(rb)
        return True


def cluster(
    lifetimes: list[Lifetime],
    judgements: Iterable[Judgement] = (),
    screener: Screener | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Membership]:
    """Group records into subjects; every record gets a membership, alone if nothing joins it.

    The subject id is the smallest entity id of its members, so a subject keeps its id while its
    members stay.
    """
    records = [life.entity for life in lifetimes]
    known = {e.id for e in records}
    judged = [j for j in judgements if j.entity_a in known and j.entity_b in known]
    unlinked = {(j.entity_a, j.entity_b) for j in judged if j.decision != LINK}
    if screener is None:
        screener = Screener(NameIndex.build(records))
    clusters = _Clusters(records, unlinked)
    evidence: dict[str, list[dict[str, str]]] = defaultdict(list)

    def note(a: str, b: str, kind: str, detail: str) -> None:
        evidence[a].append({"kind": kind, "with": b, "detail": detail})
        evidence[b].append({"kind": kind, "with": a, "detail": detail})

    for j in judged:
        if j.decision == LINK and clusters.union(j.entity_a, j.entity_b, forced=True):
            note(
                j.entity_a,
                j.entity_b,
                "confirmed",
                f"linked by {j.decided_by}" + (f": {j.reason}" if j.reason else ""),
            )
    edges = identifier_edges(records) + name_edges(records, screener, progress)
    for edge in sorted(edges, key=lambda e: (-e.rank, e.a, e.b)):
        if clusters.union(edge.a, edge.b):
            note(edge.a, edge.b, edge.kind, edge.detail)
    for j in judged:
        if j.decision != LINK:
            note(
                j.entity_a,
                j.entity_b,
                "split",
                f"kept apart by {j.decided_by}" + (f": {j.reason}" if j.reason else ""),
            )
    result = {}
    for members in clusters.members.values():
        subject_id = min(members)
        for member in members:  # a "split" note names a record of another subject: it says why
            result[member] = Membership(subject_id, evidence.get(member, []))
    return result


def subject_groups(members: Mapping[str, Membership]) -> dict[str, list[str]]:
    """subject id → its members' entity ids."""
    groups: dict[str, list[str]] = defaultdict(list)
    for entity_id, m in members.items():
        groups[m.subject_id].append(entity_id)
    return {s: sorted(ids) for s, ids in groups.items()}
