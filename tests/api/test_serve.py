"""Over a real socket: `tamga serve` starts and warns, and httpx speaks to uvicorn."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.api.conftest import YENTE_BODY

START_TIMEOUT = 120  # seconds for a server to answer; a bound, not a measurement


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen | None = None) -> httpx.Response:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the server stopped: {process.stderr.read() if process.stderr else ''}")
        try:
            return httpx.get(url, timeout=5)
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")


def test_tamga_serve_no_auth_warns_and_serves(tmp_path: Path) -> None:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "tamga.cli",
        "serve",
        "--db",
        str(tmp_path / "empty.db"),
        "--port",
        str(port),
    ]
    process = subprocess.Popen(
        [*command, "--no-auth"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        health = wait_for(f"http://127.0.0.1:{port}/healthz", process)
        assert health.json() == {"status": "ok"}
        assert httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 503  # nothing ingested
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    assert "--no-auth: no API key is checked" in stderr
    assert "holds no list yet" in stderr
    assert "authentication is OFF" in stderr  # the server's own log says it too


@pytest.fixture(scope="module")
def server(app: FastAPI, client: TestClient) -> Iterator[str]:
    """The shared app (index already built) behind uvicorn on a loopback port."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/healthz")
    yield url
    instance.should_exit = True
    thread.join(30)


def test_a_yente_client_over_http(server: str, auth: dict[str, str]) -> None:
    with httpx.Client(base_url=server, headers=auth) as http:
        response = http.post("/match/default", json=YENTE_BODY, params={"algorithm": "best"})
    assert response.status_code == 200
    top = response.json()["responses"]["q1"]["results"][0]
    assert top["id"] == "ofac-sdn:34119" and top["match"] is True
    assert top["explanations"]["matched_name"] == "TUNIAZ, Alken"


def test_streamed_screening_over_http(server: str, auth: dict[str, str]) -> None:
    names = "id,name\n" + "".join(f"{i},Erkin Tuniyaz\n" for i in range(40))
    with (
        httpx.Client(base_url=server, headers=auth) as http,
        http.stream("POST", "/screen", content=names, headers={"Content-Type": "text/csv"}) as response,
    ):
        assert response.status_code == 200
        assert response.headers.get("transfer-encoding") == "chunked"  # streamed, not buffered
        lines = list(response.iter_lines())
    assert len(lines) == 40 and all('"entity_id": "ofac-sdn:34119"' in line for line in lines)


def test_a_chunked_upload_over_the_limit_is_413(server: str, auth: dict[str, str], app: FastAPI) -> None:
    limit = app.state.limits.upload_bytes

    def body() -> Iterator[bytes]:
        yield b"id,name\n"
        chunk = b"1,Erkin Tuniyaz\n" * 4096
        for _ in range(limit // len(chunk) + 2):
            yield chunk

    with httpx.Client(base_url=server, headers=auth, timeout=60) as http:
        response = http.post("/screen", content=body(), headers={"Content-Type": "text/csv"})
    assert response.status_code == 413
    assert response.json()["detail"].startswith(f"request body larger than {limit:,} bytes")
