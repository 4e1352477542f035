"""One OFAC index, its payload and one 5,000-row generated input for the scale tests, made once per session.

The input mixes Latin, Cyrillic, Han and Arabic script, persons and companies, with 1% of rows
planted from the SDN list, and three malformed rows that every engine must set aside alike.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tamga.ingest import ingest
from tamga.match.screener import Screener
from tamga.scale.payload import IndexPayload, pack
from tamga.scale.synthetic import generate, plantable, write_csv
from tamga.store import Store

ROWS = 5_000
MALFORMED = {  # line number in the file -> the malformed record put there
    12: "x12,,Person,",  # no name
    2_500: "x2500,Jane Roe,Company,",  # no such schema
    4_000: "x4000,Jane Roe,Person,GB,surplus",  # a field too many
}


@pytest.fixture(scope="session")
def ofac_url(lists: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('scale') / 'tamga.db'}"
    store = Store(url)
    ingest(store, [lists / "ofac_sdn", lists / "ofac_non_sdn"])
    store.close()
    return url


@pytest.fixture(scope="session")
def screener(ofac_url: str) -> Screener:
    store = Store(ofac_url)
    try:
        return Screener.from_store(store)
    finally:
        store.close()


@pytest.fixture(scope="session")
def payload(screener: Screener) -> IndexPayload:
    return pack(screener)


@pytest.fixture(scope="session")
def truth_and_input(
    screener: Screener, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, str], Path]:
    """The 5,000-row input (plus the malformed rows) and the planted rows' expected entity ids."""
    folder = tmp_path_factory.mktemp("scale-input")
    clean = folder / "clean.csv"
    truth = write_csv(generate(ROWS, plantable(screener.index.entities), seed=8), clean)
    lines = clean.read_text(encoding="utf-8").splitlines(keepends=True)
    for line_number in sorted(MALFORMED):
        lines.insert(line_number - 1, MALFORMED[line_number] + "\n")
    path = folder / "customers.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return truth, path


@pytest.fixture(scope="session")
def customers(truth_and_input: tuple[dict[str, str], Path]) -> Path:
    return truth_and_input[1]


@pytest.fixture(scope="session")
def truth(truth_and_input: tuple[dict[str, str], Path]) -> dict[str, str]:
    return truth_and_input[0]


@pytest.fixture(scope="session")
def head_customers(customers: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The header and the first 1,000 rows of the input (the malformed line 12 among them), whose
    output is the first :data:`HEAD_ROWS` records of the whole input's."""
    head = tmp_path_factory.mktemp("scale-head") / "head.csv"
    lines = customers.read_text(encoding="utf-8").splitlines(keepends=True)[:1_001]
    head.write_text("".join(lines), encoding="utf-8")
    return head


HEAD_ROWS = 999


def sorted_lines(path: Path) -> list[bytes]:
    """The output's lines sorted by id (the id is the first field of every JSON line)."""
    return sorted(path.read_bytes().splitlines(keepends=True))


@pytest.fixture(scope="session")
def local_output(customers: Path, payload: IndexPayload, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The input screened by the local engine on two processes: the output other engines must equal."""
    from tamga.scale.local_engine import LocalEngine
    from tamga.scale.runner import screen_file

    out = tmp_path_factory.mktemp("scale-local") / "local.jsonl"
    summary = screen_file(customers, out, payload, LocalEngine(workers=2), partitions=8)
    assert summary.rows == ROWS and len(summary.errors) == len(MALFORMED)
    return out


def parquet_as_lines(path: Path) -> list[bytes]:
    """A Parquet output's records as their JSON lines, sorted as :func:`sorted_lines` sorts."""
    import pyarrow.parquet as pq

    from tamga.scale.partition import jsonl_lines

    return sorted(line.encode("utf-8") for line in jsonl_lines(pq.read_table(path)))
