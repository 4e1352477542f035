"""Measuring the matcher on labelled cases: recall, false alerts, top-1 accuracy, per group.

A case file is a CSV with ``case_id, group, query_name, schema, birth_date, country,
expected_id`` (``expected_id`` empty for negatives, queries that should match nothing). Each
positive counts as found when its expected entity is a match at the threshold; a negative is a
false alert when anything matches. Because every candidate down to the floor is kept with its
score, one run also gives the best recall reachable at a false-alert rate of at most 1%.
"""

from __future__ import annotations

import csv
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tamga.match.screener import FLOOR, Query, Screener
from tamga.sources.base import ParseError

REQUIRED = ("query_name", "expected_id")


@dataclass
class Case:
    case_id: str
    group: str
    query: Query
    expected_id: str | None


@dataclass
class Outcome:
    case: Case
    expected_score: float | None  # best score of the expected entity among candidates
    top_id: str | None
    top_score: float | None


@dataclass
class GroupFigures:
    group: str
    cases: int
    positives: int
    found: int = 0
    top1: int = 0
    negatives: int = 0
    alerts: int = 0

    @property
    def recall(self) -> float | None:
        return self.found / self.positives if self.positives else None

    @property
    def false_alert_rate(self) -> float | None:
        return self.alerts / self.negatives if self.negatives else None

    @property
    def top1_accuracy(self) -> float | None:
        return self.top1 / self.positives if self.positives else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "cases": self.cases,
            "recall": self.recall,
            "false_alert_rate": self.false_alert_rate,
            "top1_accuracy": self.top1_accuracy,
        }


@dataclass
class Evaluation:
    threshold: float
    overall: GroupFigures
    groups: list[GroupFigures]
    best_recall_at_1pct: float
    best_threshold_at_1pct: float | None
    misses: list[Outcome] = field(default_factory=list)
    alerts: list[Outcome] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "overall": self.overall.to_dict(),
            "groups": [g.to_dict() for g in self.groups],
            "best_recall_at_false_alert_rate_1pct": self.best_recall_at_1pct,
            "threshold_for_best_recall_at_1pct": self.best_threshold_at_1pct,
        }


def read_cases(path: Path) -> list[Case]:
    """Cases from a CSV file; a missing column or an unknown schema is a :class:`ParseError`."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise ParseError(str(path), "line 1", f"missing column(s) {', '.join(missing)}")
        cases = []
        for number, row in enumerate(reader, start=2):
            name = (row.get("query_name") or "").strip()
            if not name:
                raise ParseError(str(path), f"line {number}", "query_name is empty")
            schema = (row.get("schema") or "").strip() or None
            if schema not in (None, "Person", "Organization", "Vessel", "Aircraft"):
                raise ParseError(str(path), f"line {number}", f"schema {schema!r} is not a known schema")
            cases.append(
                Case(
                    case_id=row.get("case_id") or f"line-{number}",
                    group=row.get("group") or "all",
                    query=Query(
                        name,
                        schema,
                        (row.get("birth_date") or "").strip() or None,
                        (row.get("country") or "").strip() or None,
                    ),
                    expected_id=(row.get("expected_id") or "").strip() or None,
                )
            )
    return cases


def run_cases(screener: Screener, cases: Iterable[Case], limit: int = 50) -> list[Outcome]:
    """Screen every case, keeping all candidates down to the floor (threshold-free)."""
    outcomes = []
    for case in cases:
        matches = screener.match(case.query, threshold=1.01, limit=limit)
        expected = next((m.score for m in matches if m.entity_id == case.expected_id), None)
        top = matches[0] if matches else None
        outcomes.append(Outcome(case, expected, top.entity_id if top else None, top.score if top else None))
    return outcomes


def summarise(outcomes: list[Outcome], threshold: float) -> Evaluation:
    """Figures at ``threshold`` per group and overall, and the best recall at ≤ 1% false alerts."""
    groups: dict[str, GroupFigures] = {}
    overall = GroupFigures("all", 0, 0)
    misses, alerts = [], []
    for outcome in outcomes:
        case = outcome.case
        figures = groups.setdefault(case.group, GroupFigures(case.group, 0, 0))
        for f in (figures, overall):
            f.cases += 1
            if case.expected_id:
                f.positives += 1
                if outcome.expected_score is not None and outcome.expected_score >= threshold:
                    f.found += 1
                if outcome.top_id == case.expected_id and (outcome.top_score or 0) >= threshold:
                    f.top1 += 1
            else:
                f.negatives += 1
                if (outcome.top_score or 0) >= threshold:
                    f.alerts += 1
        if case.expected_id and (outcome.expected_score or 0) < threshold:
            misses.append(outcome)
        if not case.expected_id and (outcome.top_score or 0) >= threshold:
            alerts.append(outcome)
    best_recall, best_threshold = best_recall_at(outcomes, 0.01)
    return Evaluation(
        threshold=threshold,
        overall=overall,
        groups=sorted(groups.values(), key=lambda g: g.group),
        best_recall_at_1pct=best_recall,
        best_threshold_at_1pct=best_threshold,
        misses=misses,
        alerts=alerts,
    )


def best_recall_at(outcomes: list[Outcome], max_false_alert_rate: float) -> tuple[float, float | None]:
    """The highest recall of any threshold whose false-alert rate stays within the bound."""
    positives = sorted(o.expected_score or 0.0 for o in outcomes if o.case.expected_id)
    negatives = sorted(o.top_score or 0.0 for o in outcomes if not o.case.expected_id)
    if not positives:
        return 0.0, None
    allowed = int(max_false_alert_rate * len(negatives))  # negatives that may score at or above it
    # The lowest admissible threshold sits just above the (allowed+1)-th highest negative score.
    threshold = FLOOR
    if len(negatives) > allowed:
        threshold = max(FLOOR, negatives[len(negatives) - allowed - 1] + 1e-9)
    found = len(positives) - bisect_left(positives, threshold)
    return found / len(positives), threshold
