"""The designation tracker: who is designated by whom, since when, and who is missing.

:class:`Tracker` reads every entity ever ingested with the dates its source first showed it and
dropped it, groups the records into subjects across lists (re-clustering when a snapshot or a
judgement is newer than the stored clustering), and answers the researchers' questions:
:mod:`~tamga.tracker.gaps` (who is designated by one jurisdiction and not the others, as of a
date), :mod:`~tamga.tracker.history` (a subject's timeline), :mod:`~tamga.tracker.changes` (what
changed in the lists) and :mod:`~tamga.tracker.charts`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tamga.countries import country_code
from tamga.match.index import NameIndex
from tamga.match.screener import Query, Screener
from tamga.model import Entity
from tamga.store import Lifetime, Membership, Store
from tamga.tracker.subjects import cluster, subject_groups

SOURCE_ORDER = ("curated", "ofac-sdn", "ofac-cons", "us-csl", "eu-fsf", "eu-oj", "uk-fcdo", "uk-hmt", "un-sc")


@dataclass
class Subject:
    """One person or organisation with its records on every list."""

    id: str
    records: list[Lifetime] = field(default_factory=list)
    evidence: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    @property
    def caption(self) -> str:
        """The curated spelling where there is one (it is written for people), else the first
        record's caption in source order."""
        return self.records[0].entity.caption

    @property
    def schema(self) -> str:
        schemas = [r.entity.schema for r in self.records if r.entity.source != "curated"]
        return (schemas or [self.records[0].entity.schema])[0]

    @property
    def entity_ids(self) -> list[str]:
        return [r.entity.id for r in self.records]

    @property
    def countries(self) -> list[str]:
        """Every country a record ties the subject to: nationality, citizenship, registration,
        address or place of birth (a list may print only one of them)."""
        codes: set[str] = set()
        for r in self.records:
            e = r.entity
            codes.update(c.code for c in e.countries if c.code)
            codes.update(a.country for a in e.addresses if a.country)
            codes.update(filter(None, (country_code(p.rsplit(",", 1)[-1]) for p in e.birth_places)))
        return sorted(c.upper() for c in codes)


def _source_rank(entity: Entity) -> tuple[int, str]:
    source = entity.source
    return (SOURCE_ORDER.index(source) if source in SOURCE_ORDER else len(SOURCE_ORDER), entity.id)


class TrackerError(Exception):
    """A tracker question that cannot be answered as asked (unknown subject, bad option…)."""


class Tracker:
    """Subjects across lists, built once from the store; cheap to query many times."""

    def __init__(self, lifetimes: list[Lifetime], members: dict[str, Membership]) -> None:
        self.records = {life.entity.id: life for life in lifetimes}
        self.members = members
        self.subjects: dict[str, Subject] = {}
        for subject_id, ids in subject_groups(members).items():
            records = sorted(
                (self.records[i] for i in ids if i in self.records), key=lambda r: _source_rank(r.entity)
            )
            if records:
                self.subjects[subject_id] = Subject(
                    subject_id, records, {i: members[i].evidence for i in ids if members[i].evidence}
                )
        for entity_id, life in self.records.items():  # records newer than the clustering stand alone
            if entity_id not in members:
                self.subjects[entity_id] = Subject(entity_id, [life])
                self.members[entity_id] = Membership(entity_id)
        self._screener: Screener | None = None

    @classmethod
    def load(
        cls, store: Store, recluster: bool | None = None, progress: Callable[[int, int], None] | None = None
    ) -> Tracker:
        """The tracker over ``store``; clusters again when the stored clustering is out of date
        (or always, or never, as ``recluster`` says)."""
        lifetimes = list(store.lifetimes())
        stale = store.clustering_is_stale() if recluster is None else recluster
        screener = None
        if stale and lifetimes:
            screener = Screener(NameIndex.build(life.entity for life in lifetimes))
            members = cluster(lifetimes, store.judgements(), screener, progress)
            store.save_memberships(members)
        else:
            members = store.memberships()
        tracker = cls(lifetimes, members)
        tracker._screener = screener  # the index the grouping used also finds subjects by name
        return tracker

    def subject_of(self, entity_id: str) -> Subject | None:
        membership = self.members.get(entity_id)
        return None if membership is None else self.subjects.get(membership.subject_id)

    def find(self, text: str) -> Subject:
        """The subject of an entity id, or of the record whose name best matches ``text``."""
        if text in self.records:
            subject = self.subject_of(text)
            if subject is not None:
                return subject
        if self._screener is None:
            self._screener = Screener(NameIndex.build(r.entity for r in self.records.values()))
        found = [m for m in self._screener.match(Query(text), limit=5) if m.match]
        if not found:
            raise TrackerError(f"no entity or name matching {text!r}")
        subject = self.subject_of(found[0].entity_id)
        assert subject is not None
        return subject
