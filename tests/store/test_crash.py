"""A writer killed in the middle of a transaction loses nothing committed
and leaves nothing half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from sqlalchemy import func, select

from tests.conftest import REPO
from tryon.store import schema

WRITER = textwrap.dedent(
    """
    import sys, time
    from tryon.store import Store

    store = Store(sys.argv[1])
    line = [{"garment_id": "tee", "size": "M"}]
    for n in range(3):
        store.record_tryon("shp_k", "tee", "M")
        store.record_order("shp_k", line, f"committed-{n}")
    with store.batch():
        store.record_tryon("shp_k", "tee", "L")
        store.record_order("shp_k", line, "partial")
        print("IN TRANSACTION", flush=True)
        time.sleep(120)
    """
)


def test_killed_writer_keeps_committed_events_and_drops_the_partial_one(store):
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, store.url],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert process.stdout.readline().strip() == "IN TRANSACTION"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    with store.engine.connect() as connection:
        sizes = connection.execute(select(schema.tryons.c.size)).scalars().all()
        keys = connection.execute(select(schema.orders.c.idempotency_key)).scalars()
        keys = sorted(keys)
        lines = connection.execute(
            select(func.count()).select_from(schema.order_lines)
        ).scalar()
    assert sizes == ["M", "M", "M"]
    assert keys == ["committed-0", "committed-1", "committed-2"]
    assert lines == 3

    # The store takes writes again: the dead writer's lock is gone.
    order = store.record_order("shp_k", [{"garment_id": "tee", "size": "L"}], "partial")
    assert order.created is True


CONCURRENT_WRITER = textwrap.dedent(
    """
    import sys
    from tryon.store import Store

    store = Store(sys.argv[1])
    name = sys.argv[2]
    for n in range(25):
        store.record_tryon(f"shp_{name}", "tee", "M")
        store.record_order(f"shp_{name}", [{"garment_id": "tee", "size": "M"}],
                           f"{name}-{n}")
    """
)


def test_two_writer_processes_both_get_through(store):
    # SQLite: the second writer waits for the lock (busy timeout) instead
    # of failing with "database is locked".
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT_WRITER, store.url, name],
            cwd=REPO,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    with store.engine.connect() as connection:
        orders = connection.execute(
            select(func.count()).select_from(schema.orders)
        ).scalar()
        tryons = connection.execute(
            select(func.count()).select_from(schema.tryons)
        ).scalar()
    assert (orders, tryons) == (50, 50)
