"""Data shipped with tamga: bundled list extracts for the demo, and the curated actions table."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def curated_path() -> Path:
    """The maintained table of Xinjiang-related actions (``tamga ingest`` recognises it)."""
    return HERE / "curated" / "xinjiang_actions.csv"
