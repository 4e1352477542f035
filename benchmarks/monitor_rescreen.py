"""Benchmark: a monitoring run over a 100,000-row watchlist after a list update changed 500 entities.

The list update is real OFAC SDN data: snapshot 2 is the SDN CSV set with 300 entries left out and
200 others one alias short; snapshot 3 is the set as published, so its diff adds 300 entities and
amends 200. Snapshot 1 lacks the 200 as well, so that a first monitoring run (1 -> 2, not timed)
leaves the alerts a watchlist has on the 200 before they are amended, as a real history would.

The watchlist is generated, the same every run: companies with made-up names, sectors
and legal forms (45%); people named from the given names and surnames the lists themselves use (the
hard case: every word is a listed word) and from made-up syllables (50%), a fifth of them with a
birth date and some with a country; and 5% spellings of listed names (reordered, one letter off),
some of them of the changed entities, so that the run has alerts to raise.

The watchlist is recorded as screened against snapshot 1, as a first run would leave it, and
monitored against snapshot 2; then snapshot 3 is ingested and `tamga monitor run` (the delta
re-screen) is timed, phase by phase.

    .venv/bin/python benchmarks/monitor_rescreen.py [--lists DIR] [--rows N] [--added N] [--amended N]
                                                    [--workers N]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, update

from tamga.ingest import ingest
from tamga.monitor import rescreen, watchlists
from tamga.monitor.clock import now
from tamga.screen.batch import default_workers
from tamga.store import Store
from tamga.store.schema import monitor_state, watchlist_row

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
WORDS = ROOT / "src" / "tamga" / "names" / "data" / "person_words.txt"

SECTORS = [
    "Trading",
    "Logistics",
    "Shipping",
    "Energy",
    "Textiles",
    "Foods",
    "Steel",
    "Software",
    "Mining",
    "Chemicals",
    "Electronics",
    "Construction",
    "Pharma",
    "Agro",
    "Capital",
    "Marine",
]
FORMS = ["LLC", "Ltd", "GmbH", "Co., Ltd.", "SA", "S.p.A.", "BV", "AG", "Inc", "LLP", "OOO", "JSC", "FZE"]
COUNTRIES = ["CN", "RU", "IR", "AE", "TR", "DE", "GB", "US", "IN", "KZ", "HK", "SG"]
SYLLABLES = [
    "xin",
    "da",
    "hao",
    "yun",
    "tai",
    "kang",
    "ming",
    "sung",
    "jin",
    "ra",
    "vi",
    "lo",
    "nor",
    "ban",
    "sa",
    "ku",
    "mei",
    "ton",
    "par",
    "zen",
    "qi",
    "fu",
    "lan",
    "dor",
    "mar",
    "el",
    "ko",
]


def made_up(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def snapshots(sdn: Path, folder: Path, added: int, amended: int, rng: random.Random) -> None:
    """Snapshot 2 (``folder / "two"``): the SDN set with ``added`` entries left out and ``amended``
    others one alias short; snapshot 1 (``folder / "one"``): without those others at all."""
    rows = (sdn / "sdn.csv").read_bytes().split(b"\r\n")
    entries = [(r.split(b",", 2)[0], r.split(b",", 2)[1].strip(b'"')) for r in rows if r[:1].isdigit()]
    # Entries others name ("Linked To: …") would change those others too: only others are left out.
    remarks = b"\n".join(rows)
    free = [number for number, name in entries if b"Linked To: " + name not in remarks]
    left_out = set(rng.sample(free, added))
    aliases = (sdn / "alt.csv").read_bytes().split(b"\r\n")
    numbers = {number for number, _ in entries}
    with_alias = sorted({r.split(b",", 1)[0] for r in aliases if r[:1].isdigit()} & numbers - left_out)
    shortened = set(rng.sample(with_alias, amended))
    kept, dropped = [], set()
    for row in aliases:
        number = row.split(b",", 1)[0]
        if number in shortened and number not in dropped:
            dropped.add(number)  # the entry's first alias
            continue
        kept.append(row)
    for name, without in (("one", left_out | shortened), ("two", left_out)):
        (folder / name).mkdir()
        (folder / name / "sdn.csv").write_bytes(
            b"\r\n".join(r for r in rows if r.split(b",", 1)[0] not in without)
        )
        (folder / name / "alt.csv").write_bytes(b"\r\n".join(kept))
        for other in ("add.csv", "sdn_comments.csv"):
            shutil.copy(sdn / other, folder / name / other)


def watchlist(path: Path, rows: int, listed: list[str], rng: random.Random) -> None:
    words = [w.capitalize() for w in WORDS.read_text(encoding="utf-8").split() if w.isalpha() and len(w) > 2]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "name", "schema", "birth_date", "country"])
        for i in range(rows):
            draw = rng.random()
            schema, birth, country = "", "", ""
            if draw < 0.45:
                first = made_up(rng) if rng.random() < 0.6 else rng.choice(words)
                name = f"{first} {rng.choice(SECTORS)} {rng.choice(FORMS)}"
                schema = "Organization"
            elif draw < 0.95:
                given, family = (
                    (rng.choice(words), rng.choice(words)) if draw < 0.7 else (made_up(rng), made_up(rng))
                )
                name = f"{given} {family.upper()}" if rng.random() < 0.5 else f"{family.upper()}, {given}"
                schema = "Person" if rng.random() < 0.7 else ""
                if rng.random() < 0.2:
                    birth = f"{rng.randint(1940, 2000)}" + (
                        f"-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.5 else ""
                    )
            else:
                name = rng.choice(listed)
                if rng.random() < 0.5:
                    name = " ".join(reversed(name.replace(",", " ").split()))
                if rng.random() < 0.3:
                    cut = rng.randrange(len(name))
                    name = name[:cut] + name[cut + 1 :]
            if rng.random() < 0.1:
                country = rng.choice(COUNTRIES)
            out.writerow([f"r{i:06d}", name, schema, birth, country])


def _cpu() -> float:
    """CPU seconds of this process and of its finished worker processes."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=SHARED / "lists")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--added", type=int, default=300)
    parser.add_argument("--amended", type=int, default=200)
    parser.add_argument("--workers", type=int, default=default_workers())
    args = parser.parse_args()
    rng = random.Random(11)
    sdn = args.lists / "ofac_sdn"
    with tempfile.TemporaryDirectory(prefix="tamga-monitor-bench-") as tmp:
        folder = Path(tmp)
        snapshots(sdn, folder, args.added, args.amended, rng)
        store = Store(f"sqlite:///{folder / 'tamga.db'}")
        ingest(store, [folder / "one"])
        ingest(store, [folder / "two"])
        listed = [e.caption for e in store.entities()]
        watchlist(folder / "watch.csv", args.rows, listed, rng)
        start = time.perf_counter()
        report = watchlists.add_file(store, "counterparties", folder / "watch.csv", "benchmark")
        print(f"watchlist: {report.added:,} rows added in {time.perf_counter() - start:.1f} s")
        with store.engine.begin() as conn:  # screened against snapshot 1, as a first run leaves it
            conn.execute(update(watchlist_row).values(screened_at=now()))
            conn.execute(insert(monitor_state).values(source="ofac-sdn", snapshot_seq=1, processed_at=now()))
        start = time.perf_counter()
        first = rescreen.run(store, actor="benchmark", workers=args.workers)
        print(
            f"monitoring against snapshot 2 (not timed): {first.changed_entities:,} changed entities, "
            f"{first.raised:,} alerts raised, {time.perf_counter() - start:.1f} s"
        )

        ingest(store, [sdn])
        diff = store.diff("ofac-sdn")
        changes = f"{len(diff.added):,} added, {len(diff.changed):,} amended, {len(diff.removed):,} removed"
        print(f"list update: ofac-sdn snapshot 2 -> 3: {changes}")
        start, cpu = time.perf_counter(), _cpu()
        run = rescreen.run(store, actor="benchmark", workers=args.workers)
        seconds, cpu = time.perf_counter() - start, _cpu() - cpu
        phases = ", ".join(f"{k} {v:.2f} s" for k, v in run.timings.items())
        print(
            f"monitor run ({args.workers} workers): {run.rows_delta:,} rows against {run.changed_entities:,} "
            f"changed entities in {seconds:.2f} s ({run.rows_delta / seconds:,.0f} rows/s); {phases}"
        )
        print(f"alerts raised: {run.raised:,}; closed: {run.closed:,}")
        print(f"CPU time of the run, all processes: {cpu:.2f} s (a busy machine shows it in the wall time)")
        store.close()


if __name__ == "__main__":
    main()
