"""The index payload: compact, loaded once per process, replaced by a new snapshot's."""

from __future__ import annotations

import os
import pickle

import pytest

from tamga.match.index import NameIndex
from tamga.match.screener import Query, Screener
from tamga.scale import payload as payloads
from tamga.scale.payload import HASH_SEED, IndexPayload, pack, screener_for, worker_hash_seed


def test_loaded_once_per_digest_and_screens_alike(screener: Screener, payload: IndexPayload) -> None:
    assert payload.entities == len(screener.index.entities) > 15_000
    assert 10e6 < payload.size < 100e6  # the OFAC index: tens of megabytes, not hundreds
    first = screener_for(payload)
    assert screener_for(payload) is first
    assert payloads.loaded_digests() == [payload.digest]
    query = Query("Erkin Tuniyaz", "Person", "1961")
    assert [m.to_dict() for m in first.match(query)] == [m.to_dict() for m in screener.match(query)]


def test_a_new_payload_replaces_the_old(screener: Screener, payload: IndexPayload) -> None:
    screener_for(payload)
    newer = pack(Screener(NameIndex.build(screener.index.entities[:50]), threshold=0.9))
    assert newer.digest != payload.digest
    assert screener_for(newer).threshold == 0.9
    assert payloads.loaded_digests() == [newer.digest]


def test_a_payload_that_is_no_screener_is_refused() -> None:
    bogus = IndexPayload("0" * 64, pickle.dumps({"not": "a screener"}), 0)
    with pytest.raises(TypeError, match="holds a dict"):
        screener_for(bogus)


def test_worker_hash_seed_is_set_for_children_and_restored() -> None:
    before = os.environ.get("PYTHONHASHSEED")
    with worker_hash_seed():
        assert os.environ["PYTHONHASHSEED"] == HASH_SEED
    assert os.environ.get("PYTHONHASHSEED") == before
