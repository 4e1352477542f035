"""Benchmark: single-query ``POST /match`` throughput and latency of ``tamga serve`` on loopback.

Starts ``tamga serve`` (with API keys on, as in production) over a store holding the OFAC SDN and
non-SDN lists, waits until it serves its index, then sends yente-shaped single-query requests
(names from dev.csv, in turn) over K concurrent keep-alive connections from this process, until N
requests are done or the time cap is reached. Prints requests/s, latency percentiles, and the CPU
the server and this client used per request (the machine may be shared: the load average is
printed too). The client speaks HTTP/1.1 itself, so that it takes a tenth of the CPU httpx would.

    .venv/bin/python benchmarks/api_load.py [--workers 2] [--requests 20000] [--concurrency 8]
        [--seconds 60] [--db URL] [--lists DIR] [--cases dev.csv]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tamga.ingest import ingest
from tamga.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
WARM_UP = 300  # requests sent before measuring, to warm the server's caches


def tree_cpu(root: int) -> float:
    """CPU seconds used so far by process ``root`` and its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    wanted = {root}
    for _ in range(4):
        wanted |= {pid for pid, parent in parents.items() if parent in wanted}
    return sum(times.get(pid, 0.0) for pid in wanted)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bodies(cases: Path) -> list[bytes]:
    out = []
    with cases.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            props = {"name": [row["query_name"]]}
            if row.get("birth_date"):
                props["birthDate"] = [row["birth_date"]]
            if row.get("country"):
                props["nationality"] = [row["country"]]
            query = {"schema": row.get("schema") or "LegalEntity", "properties": props}
            out.append(json.dumps({"queries": {"q": query}}).encode())
    return out


class Connection:
    """One keep-alive HTTP/1.1 connection, kept lean so that the client takes little of the CPU
    it shares with the server (httpx takes about 2 ms per request, as much as a match)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def post(self, request: bytes) -> tuple[int, bytes]:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        self.writer.close()


def requests(key: str, payloads: list[bytes]) -> list[bytes]:
    """Each body as a complete HTTP request to POST /match/default."""
    return [
        b"POST /match/default HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ApiKey " + key.encode()
        + b"\r\nContent-Type: application/json\r\nContent-Length: " + str(len(body)).encode()
        + b"\r\n\r\n" + body
        for body in payloads
    ]  # fmt: skip


async def load(
    port: int, key: str, payloads: list[bytes], total: int, concurrency: int, seconds: float
) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    failures = 0
    sent = 0
    deadline = 0.0
    prepared = requests(key, payloads)
    connections = [await Connection.open(port) for _ in range(concurrency)]

    async def one(connection: Connection, request: bytes) -> None:
        nonlocal failures
        start = time.perf_counter()
        status, body = await connection.post(request)
        elapsed = time.perf_counter() - start
        if status != 200 or b'"status":200' not in body:
            failures += 1
        else:
            latencies.append(elapsed)

    async def worker(connection: Connection) -> None:
        nonlocal sent
        while sent < total and time.perf_counter() < deadline:
            request = prepared[sent % len(prepared)]
            sent += 1
            await one(connection, request)

    for i in range(WARM_UP):
        await one(connections[i % concurrency], prepared[-(i % len(prepared)) - 1])
    warm_failures, failures = failures, 0
    if warm_failures:
        print(f"warning: {warm_failures} of {WARM_UP} warm-up requests failed")
    latencies.clear()
    start = time.perf_counter()
    cpu = time.process_time()
    deadline = start + seconds
    await asyncio.gather(*(worker(c) for c in connections))
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    for connection in connections:
        connection.close()
    per_request = cpu / max(1, len(latencies)) * 1000
    print(f"client: {cpu:.1f} s of CPU in {wall:.1f} s ({per_request:.2f} ms per request)")
    return latencies, failures, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0, help="cap on the measured run")
    parser.add_argument("--db", help="a store already holding the lists (default: build one)")
    parser.add_argument("--lists", type=Path, default=SHARED / "lists")
    parser.add_argument("--cases", type=Path, default=SHARED / "eval" / "dev.csv")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tamga-bench-") as tmp:
        url = args.db or f"sqlite:///{tmp}/tamga.db"
        store = Store(url)
        if not store.snapshot_heads():
            start = time.perf_counter()
            ingest(store, [args.lists / "ofac_sdn", args.lists / "ofac_non_sdn"])
            print(f"store: OFAC SDN + non-SDN ingested in {time.perf_counter() - start:.1f} s")
        key_name = f"bench-{os.getpid()}-{int(time.time())}"
        key = store.create_api_key(key_name)
        port = free_port()
        command = [sys.executable, "-m", "tamga.cli", "serve", "--db", url, "--port", str(port)]
        command += ["--workers", str(args.workers)]
        log = open(Path(tmp) / "serve.log", "wb")  # noqa: SIM115 - open for the server's life
        server = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            # Each worker builds its own index: wait until 20 fresh connections in a row find one.
            start = time.perf_counter()
            in_a_row = 0
            while in_a_row < 20:
                if time.perf_counter() - start > 300:
                    tail = (Path(tmp) / "serve.log").read_text(errors="replace")[-3000:]
                    raise SystemExit(f"the server did not become ready within 300 s:\n{tail}")
                if server.poll() is not None:
                    raise SystemExit(f"the server stopped: {(Path(tmp) / 'serve.log').read_text()[-2000:]}")
                try:
                    ok = httpx.get(f"{base}/readyz", timeout=2).status_code == 200
                except httpx.TransportError:
                    ok = False
                in_a_row = in_a_row + 1 if ok else 0
                if not ok:
                    time.sleep(0.5)
            print(f"server: {args.workers} worker(s) ready after {time.perf_counter() - start:.1f} s")
            payloads = bodies(args.cases)
            server_cpu = tree_cpu(server.pid)
            latencies, failures, wall = asyncio.run(
                load(port, key, payloads, args.requests, args.concurrency, args.seconds)
            )
            server_cpu = tree_cpu(server.pid) - server_cpu
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
            log.close()
            store.revoke_api_key(key_name)
    latencies.sort()
    done = len(latencies)
    ms = [x * 1000 for x in latencies]

    def pct(p: float) -> float:
        return ms[min(done - 1, int(done * p))]

    print(
        f"{done:,} single-query /match requests ({failures} failed) over {args.concurrency} connections "
        f"in {wall:.1f} s: {done / wall:,.0f} requests/s"
    )
    per_request = server_cpu / max(1, done + WARM_UP) * 1000
    print(
        f"server: {server_cpu:.1f} s of CPU ({per_request:.2f} ms per request); "
        f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        f"latency: p50 {statistics.median(ms):.1f} ms, p90 {pct(0.90):.1f} ms, p99 {pct(0.99):.1f} ms, "
        f"max {ms[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
