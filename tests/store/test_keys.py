"""API keys in the store: made once, kept hashed, revoked; on every backend."""

from __future__ import annotations

from datetime import datetime

import pytest

from tamga.store import Store, StoreError
from tamga.store.keys import key_id_of, key_matches


def test_keys_are_kept_hashed_and_can_be_revoked(store: Store) -> None:
    key = store.create_api_key("bank-onboarding")
    other = store.create_api_key("research")
    assert key != other and key_id_of(key) is not None
    (first, second) = store.api_keys()
    assert (first.name, second.name) == ("bank-onboarding", "research")
    assert key_matches(key, first) and not key_matches(other, first)
    assert key not in (first.key_hash, first.salt, first.key_id)
    assert first.key_id == key_id_of(key)
    with pytest.raises(StoreError, match="exists"):
        store.create_api_key("bank-onboarding")
    with pytest.raises(StoreError, match="without spaces"):
        store.create_api_key("")
    when = datetime(2026, 11, 23, 9, 30)
    store.record_api_key_use({"research": when})
    store.revoke_api_key("bank-onboarding")
    keys = {k.name: k for k in store.api_keys()}
    assert keys["bank-onboarding"].revoked and not keys["research"].revoked
    assert keys["research"].last_used_at == when
    assert keys["research"].to_dict() == {
        "name": "research",
        "created": keys["research"].created_at.isoformat(timespec="seconds"),
        "last_used": "2026-11-23T09:30:00",
        "revoked": None,
    }
    with pytest.raises(StoreError, match="already revoked"):
        store.revoke_api_key("bank-onboarding")
    with pytest.raises(StoreError, match="does not exist"):
        store.revoke_api_key("nobody")


def test_key_id_of() -> None:
    assert key_id_of("tamga_abc123_se_cr_et") == "abc123"
    assert key_id_of("tamga_abc123") is None
    assert key_id_of("tamga__secret") is None
    assert key_id_of("sk-something") is None
