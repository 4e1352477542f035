"""The generated customer file: reproducible, a mix of scripts, 1% planted names that are near the list's."""

from __future__ import annotations

import random
from collections import Counter

from tamga.match.screener import Screener
from tamga.model import detect_script
from tamga.scale.synthetic import generate, misspell, plantable


def test_same_seed_same_rows_and_the_mix(screener: Screener) -> None:
    sources = plantable(screener.index.entities)
    rows = list(generate(3_000, sources, seed=3))
    assert rows == list(generate(3_000, sources, seed=3))
    assert rows != list(generate(3_000, sources, seed=4))
    assert len({r.case_id for r in rows}) == 3_000
    planted = [r for r in rows if r.planted]
    assert len(planted) == 30
    assert all(r.planted.startswith("ofac-sdn:") for r in planted)
    scripts = Counter(detect_script(r.name) for r in rows)
    assert set(scripts) == {"Latin", "Cyrillic", "Han", "Arabic"}
    assert 0.5 < scripts["Latin"] / 3_000 < 0.7
    assert all(scripts[s] > 250 for s in ("Cyrillic", "Han", "Arabic"))


def test_misspelling_is_one_edit_of_one_long_word_at_most() -> None:
    rng = random.Random(1)
    name = "Mohammad Reza Shahidi"
    for _ in range(200):
        noisy = misspell(name, rng)
        changed = [(a, b) for a, b in zip(name.split(), noisy.split(), strict=True) if a != b]
        assert len(changed) <= 1
        for before, after in changed:
            assert len(before) >= 6 and abs(len(before) - len(after)) <= 1
