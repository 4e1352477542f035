"""Benchmark: portfolio screening of 10,000 holdings against the OFAC index (SDN + non-SDN).

The holdings are generated, the same every run: a book of several funds whose issuers are
emerging-market companies with made-up names and valid made-up ISINs (most holdings), the
large caps under their real ISINs, listed NS-CMIC entities under the ISINs OFAC prints, and
holdings given by name only. An issuer appears on one to four lines (share classes, ADRs, funds).
Prints the index build time (once per process, as a server holds it), then the seconds and
rows per second of :func:`tamga.screen.portfolio.screen_portfolio` on 1 and 2 worker processes.

    .venv/bin/python benchmarks/portfolio_speed.py [--lists DIR] [--rows N] [--issuers N]
"""

from __future__ import annotations

import argparse
import csv
import random
import string
import tempfile
import time
from pathlib import Path

from stdnum import isin as stdnum_isin

from tamga.ingest import read_entities
from tamga.match.index import NameIndex
from tamga.match.screener import Screener
from tamga.screen.portfolio import portfolio_index, screen_portfolio

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"

LARGE_CAPS = [
    ("Apple Inc", "US0378331005"),
    ("Tencent Holdings Ltd", "KYG875721634"),
    ("Samsung Electronics Co Ltd", "KR7005930003"),
    ("Taiwan Semiconductor Manufacturing Co Ltd", "TW0002330008"),
    ("Alibaba Group Holding Ltd-SP ADR", "US01609W1027"),
    ("Reliance Industries Ltd", "INE002A01018"),
    ("Infosys Ltd-SP ADR", "US4567881085"),
    ("Naspers Ltd-N", "ZAE000015889"),
    ("Vale SA", "BRVALEACNOR0"),
    ("Xiaomi Corp Class B", "KYG9830T1067"),
    ("Meituan Class B", "KYG596691041"),
    ("Microsoft Corp", "US5949181045"),
]
PLACES = [
    "Shenzhen",
    "Shanghai",
    "Beijing",
    "Jiangsu",
    "Zhejiang",
    "Guangdong",
    "Seoul",
    "Busan",
    "Mumbai",
    "Delhi",
    "Sao",
    "Paulo",
    "Jakarta",
    "Bangkok",
    "Manila",
    "Taipei",
    "Hanoi",
    "Lagos",
    "Cairo",
    "Santiago",
    "Lima",
    "Bogota",
    "Istanbul",
    "Warsaw",
]
SECTORS = [
    "Electronics",
    "Pharmaceutical",
    "Bank",
    "Steel",
    "Auto",
    "Parts",
    "Technology",
    "Energy",
    "Properties",
    "Foods",
    "Mining",
    "Cement",
    "Textiles",
    "Logistics",
    "Chemicals",
    "Insurance",
    "Telecom",
    "Solar",
    "Retail",
    "Shipping",
    "Paper",
    "Software",
]
FORMS = ["Co Ltd", "Corp", "Ltd", "SA", "Bhd", "Tbk", "PCL", "Holdings Ltd", "Group Co Ltd", "Industries Ltd"]
SUFFIXES = ["", "", "", "-A", "-H", " Class B", "-SP ADR", "-Reg", "-W"]
COUNTRIES = ["CN", "KR", "IN", "BR", "ID", "TH", "PH", "TW", "VN", "MX", "CL", "TR", "PL", "ZA", "KY"]


def made_up_word(rng: random.Random) -> str:
    syllables = ["xin", "da", "hao", "yun", "tai", "kang", "ming", "sung", "jin", "ra", "vi", "lo", "nor",
                 "ban", "sa", "ku", "mei", "ton", "par", "zen", "qi", "fu", "lan", "dor"]  # fmt: skip
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).capitalize()


def made_up_isin(rng: random.Random) -> str:
    body = rng.choice(COUNTRIES) + "".join(
        rng.choice(string.ascii_uppercase + string.digits) for _ in range(9)
    )
    return body + stdnum_isin.calc_check_digit(body)


def holdings(rows: int, issuers: int, listed: list[tuple[str, str]], seed: int = 5) -> list[dict[str, str]]:
    rng = random.Random(seed)
    universe = []
    for _ in range(issuers):
        name = f"{rng.choice(PLACES)} {made_up_word(rng)} {rng.choice(SECTORS)} {rng.choice(FORMS)}"
        universe.append((name, made_up_isin(rng)))
    out = []
    while len(out) < rows:
        draw = rng.random()
        if draw < 0.70:
            name, isin = rng.choice(universe)
            lines = rng.randint(1, 4)
            for _ in range(lines):
                out.append({"Security Name": name + rng.choice(SUFFIXES), "ISIN": isin})
        elif draw < 0.80:
            name, isin = rng.choice(LARGE_CAPS)
            out.append({"Security Name": name, "ISIN": isin})
        elif draw < 0.85:
            name, isin = rng.choice(listed)
            out.append({"Security Name": name.title(), "ISIN": isin})
        else:
            name, _ = rng.choice(universe)
            out.append({"Security Name": name + rng.choice(SUFFIXES), "ISIN": ""})
    for row in out:
        row["Market Value"] = f"{rng.randint(10_000, 5_000_000)}"
        row["Currency"] = "USD"
    return out[:rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=SHARED / "lists")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--issuers", type=int, default=4_000, help="distinct made-up issuers")
    args = parser.parse_args()

    entities = read_entities([args.lists / "ofac_sdn", args.lists / "ofac_non_sdn"])
    start = time.perf_counter()
    screener = Screener(NameIndex.build(entities))
    portfolio_index(screener)
    print(f"index: {len(screener.index.entities):,} entities; build {time.perf_counter() - start:.2f} s")

    listed = [
        (e.caption, i.value)
        for e in entities
        if any(d.list == "NS-CMIC" for d in e.designations)
        for i in e.identifiers
        if i.scheme == "isin"
    ]
    rows = holdings(args.rows, args.issuers, listed)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "holdings.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        names = len({r["Security Name"] for r in rows})
        print(f"holdings: {len(rows):,} rows, {names:,} distinct security names")
        for workers in (1, 2):
            start = time.perf_counter()
            report = screen_portfolio(path, screener, workers=workers)
            seconds = time.perf_counter() - start
            by_status = {s: v["holdings"] for s, v in report.summary["by_status"].items() if v["holdings"]}
            print(
                f"{workers} worker(s): {seconds:.2f} s, {len(rows) / seconds:,.0f} rows/s; "
                f"by status {by_status}; flagged share {report.summary['flagged_share']}"
            )


if __name__ == "__main__":
    main()
