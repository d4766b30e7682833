"""Loading many events at once (what tryon simulate uses)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from tryon.store import BulkEvents, BulkOrder, BulkReturn, InvalidEvent, schema

T0 = datetime(2026, 5, 1, 10, 0, 0)


def events() -> BulkEvents:
    fit = {"score": 0.4, "regions": {"chest": {"label": "snug"}}}
    tryons = [
        {"shopper_id": "shp_1", "garment_id": "tee", "size": "S", "created_at": T0},
        {
            "shopper_id": "shp_1",
            "garment_id": "tee",
            "size": "M",
            "measurements_cm": {"chest_girth": 97.4},
            "fit": fit,
            "created_at": T0 + timedelta(minutes=2),
        },
        {"shopper_id": "shp_2", "garment_id": "skirt", "size": "L", "created_at": T0},
    ]
    orders = [
        BulkOrder(
            "shp_1",
            "bulk-o1",
            T0 + timedelta(minutes=5),
            [{"garment_id": "tee", "size": "M", "tryon_index": 1}],
        ),
        BulkOrder(
            "shp_3",
            "bulk-o2",
            T0,
            [{"garment_id": "tee", "size": "L"}, {"garment_id": "skirt", "size": "S"}],
        ),
    ]
    returns = [BulkReturn(1, 1, "too large", "bulk-r1", T0 + timedelta(days=4))]
    return BulkEvents(tryons, orders, returns)


def rows(store, table):
    with store.engine.connect() as connection:
        return connection.execute(select(table).order_by(table.c.id)).mappings().all()


def test_bulk_load_links_events_by_position(store):
    counts = store.load_events(events())
    assert counts == {"tryons": 3, "orders": 2, "order_lines": 3, "returns": 1}
    tryons = rows(store, schema.tryons)
    lines = rows(store, schema.order_lines)
    returns = rows(store, schema.returns)
    assert lines[0]["tryon_id"] == tryons[1]["id"]
    assert [line["tryon_id"] for line in lines[1:]] == [None, None]
    assert returns[0]["order_line_id"] == lines[2]["id"]
    assert tryons[1]["fit_label"] == "snug"
    assert store.get_shopper("shp_1")["measurements_cm"] == {"chest_girth": 97}
    assert store.get_shopper("shp_3") is not None


def test_a_bad_event_loads_nothing(store):
    bad = events()
    bad.returns.append(BulkReturn(0, 0, "too tight", "bulk-r2", T0))
    with pytest.raises(InvalidEvent):
        store.load_events(bad)
    with store.engine.connect() as connection:
        for table in (schema.tryons, schema.orders, schema.shoppers):
            count = select(func.count()).select_from(table)
            assert connection.execute(count).scalar() == 0
