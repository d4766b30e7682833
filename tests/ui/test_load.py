"""Load: 8 concurrent clients, 5 photo try-ons each, through the server's API.

Prints the median and 95th percentile of the latency per try-on (seconds,
end to end through the server, queueing included).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import require_testdata
from tests.ui.conftest import REPO

pytestmark = pytest.mark.slow

CLIENTS = 8
TRY_ONS_PER_CLIENT = 5


def first_garment(home) -> str | None:
    """The id of a top in the server's catalog (None without a catalog)."""
    env = dict(os.environ, TRYON_HOME=str(home))
    env.pop("TRYON_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "tryon", "garments", "list", "--json"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        return None
    garments = json.loads(done.stdout)
    tops = [g["id"] for g in garments if g["category"] == "top"]
    return (tops or [g["id"] for g in garments] or [None])[0]


def _client_run(url: str, photo: str, garment: str | None, index: int) -> list[float]:
    from gradio_client import Client, handle_file

    client = Client(url + "/", verbose=False)
    latencies = []
    for _ in range(TRY_ONS_PER_CLIENT):
        start = time.perf_counter()
        result = client.predict(
            handle_file(photo),
            None,
            garment,
            None,
            f"load-{index}",
            api_name="/try_on_photo",
        )
        latencies.append(time.perf_counter() - start)
        assert result[0], f"client {index} got no picture"
    return latencies


def test_eight_clients_five_try_ons_each(live_server):
    photo = str(require_testdata("photos", "coco", "000000000785.jpg"))
    garment = first_garment(live_server.home)
    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = [
            pool.submit(_client_run, live_server.url, photo, garment, i)
            for i in range(CLIENTS)
        ]
    failures = [repr(f.exception()) for f in futures if f.exception() is not None]
    assert not failures, f"{len(failures)} clients failed: {failures}"
    runs = [f.result() for f in futures]
    latencies = sorted(t for run in runs for t in run)
    assert len(latencies) == CLIENTS * TRY_ONS_PER_CLIENT
    p50 = statistics.median(latencies)
    p95 = latencies[int(round(0.95 * (len(latencies) - 1)))]
    print(
        f"load: {len(latencies)} try-ons by {CLIENTS} clients, "
        f"p50 {p50:.2f} s, p95 {p95:.2f} s, max {latencies[-1]:.2f} s"
    )
