"""Benchmark: how long the web interface's pages take to render, server side.

Builds the app of ``tamga serve`` over a store of the OFAC SDN and non-SDN lists and the curated
Xinjiang table (or ``--db``), waits for its index, opens each page once (the tracker builds its
subjects on first use: that time is printed apart), then renders each page N times in process and
prints the median and 95th-percentile latency and the size of the HTML. A page's time includes its
calls to the API routes it is built on; the browser's own work (and the network) is not counted.

    .venv/bin/python benchmarks/web_pages.py [--runs 50] [--db URL] [--lists DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from tamga.api import create_app
from tamga.ingest import ingest
from tamga.store import Store

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "search (no query)": "/",
    "search 'Alken Tuniaz'": "/?q=Alken+Tuniaz",
    "search with birth date": "/?q=Alkin+Tuniyas&birth_date=1961&schema=Person",
    "search in Chinese": "/?q=%E8%89%BE%E5%B0%94%E8%82%AF%C2%B7%E5%90%90%E5%B0%BC%E4%BA%9A%E5%AD%9C",
    "entity ofac-sdn:34119": "/entity/ofac-sdn:34119",
    "entity with referrers": "/entity/ofac-sdn:29159",
    "tracker, CN": "/tracker?country=CN",
    "tracker, everything": "/tracker",
    "batch": "/batch",
    "portfolio": "/portfolio",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--db", help="a store to use as it is (default: a new one in a temp folder)")
    parser.add_argument("--lists", type=Path, default=ROOT.parent / "shared" / "data" / "lists")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db
        if url is None:
            url = f"sqlite:///{Path(folder) / 'tamga.db'}"
            started = time.perf_counter()
            curated = ROOT / "src" / "tamga" / "data" / "curated" / "xinjiang_actions.csv"
            ingest(Store(url), [args.lists / "ofac_sdn", args.lists / "ofac_non_sdn", curated])
            print(f"ingest: {time.perf_counter() - started:.1f} s")
        app = create_app(url, auth=False, poll_interval=3600)
        with TestClient(app) as client:
            started = time.perf_counter()
            assert app.state.holder.wait_ready(600), "no index"
            print(f"index ready: {time.perf_counter() - started:.1f} s")
            for name, path in PAGES.items():
                started = time.perf_counter()
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                print(f"first {name}: {(time.perf_counter() - started) * 1000:.0f} ms")
            print(f"\n{'page':<26} {'median ms':>10} {'p95 ms':>8} {'KB':>6}   ({args.runs} runs each)")
            for name, path in PAGES.items():
                times = []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    response = client.get(path)
                    times.append((time.perf_counter() - started) * 1000)
                times.sort()
                p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
                size = len(response.content) / 1024
                print(f"{name:<26} {statistics.median(times):>10.1f} {p95:>8.1f} {size:>6.0f}")
    print(f"\nload average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
