"""The evaluation figures: recall, false alerts, and the best recall within a false-alert budget."""

from __future__ import annotations

from tamga.match.evaluate import Case, Outcome, best_recall_at, summarise
from tamga.match.screener import Query


def _outcome(
    expected: str | None, expected_score: float | None, top: str | None, top_score: float | None, group: str
) -> Outcome:
    case = Case("x", group, Query("n"), expected)
    return Outcome(case, expected_score, top, top_score)


def test_figures_at_a_threshold() -> None:
    outcomes = [
        _outcome("a", 0.95, "a", 0.95, "uk"),  # found, top-1
        _outcome("b", 0.90, "z", 0.97, "uk"),  # found, not top-1
        _outcome("c", 0.70, "c", 0.70, "uk"),  # missed
        _outcome(None, None, "q", 0.91, "neg"),  # false alert
        _outcome(None, None, None, None, "neg"),
    ]
    ev = summarise(outcomes, 0.85)
    assert (ev.overall.recall, ev.overall.top1_accuracy, ev.overall.false_alert_rate) == (2 / 3, 1 / 3, 0.5)
    assert [g.group for g in ev.groups] == ["neg", "uk"]
    assert len(ev.misses) == 1 and len(ev.alerts) == 1


def test_best_recall_respects_the_false_alert_budget() -> None:
    positives = [_outcome("p", s, "p", s, "g") for s in (0.99, 0.95, 0.9, 0.8, 0.6)]
    negatives = [_outcome(None, None, "n", s, "n") for s in [0.92] + [0.5] * 99]
    recall, threshold = best_recall_at(positives + negatives, 0.01)
    assert recall == 1.0 and 0.5 < threshold < 0.6  # the one negative at 0.92 is within 1%
    recall, threshold = best_recall_at(positives + negatives, 0.0)
    assert recall == 0.4 and threshold > 0.92
