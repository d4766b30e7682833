"""Try-ons, orders and returns: validation, idempotency, photos."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from tryon.errors import NotFound
from tryon.store import InvalidEvent, schema

FIT = {
    "score": 0.62,
    "recommended_size": "L",
    "regions": {
        "chest": {"ease_cm": -1.5, "strain": 0.06, "label": "too tight"},
        "waist": {"ease_cm": 4.0, "strain": 0.0, "label": "good"},
    },
    "strain_p95": 0.07,
}
T0 = datetime(2026, 3, 1, 12, 0, 0)


def count(store, table) -> int:
    with store.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar()


def test_tryon_keeps_rounded_measurements_and_the_fit_summary(store):
    measurements = {"height": 171.4, "chest_girth": 95.5, "waist_girth": 80.49}
    tryon_id = store.record_tryon(
        "shp_a", "tee", "M", measurements_cm=measurements, fit=FIT, created_at=T0
    )
    with store.engine.connect() as connection:
        row = (
            connection.execute(
                select(schema.tryons).where(schema.tryons.c.id == tryon_id)
            )
            .one()
            ._mapping
        )
    # Python rounds halves to even: 95.5 -> 96, 80.49 -> 80.
    assert row["measurements_cm"] == {
        "height": 171,
        "chest_girth": 96,
        "waist_girth": 80,
    }
    assert (row["height_cm"], row["chest_cm"], row["waist_cm"]) == (171, 96, 80)
    assert row["fit_label"] == "too tight"
    assert row["region_labels"] == {"chest": "too tight", "waist": "good"}
    assert row["recommended_size"] == "L"
    assert row["created_at"] == T0
    assert row["synthetic"] is False
    assert store.get_shopper("shp_a")["measurements_cm"]["height"] == 171


def test_unknown_source_and_label_are_refused(store):
    with pytest.raises(InvalidEvent) as caught:
        store.record_tryon("shp_a", "tee", "M", source="video")
    assert str(caught.value) == "try-on source 'video' is not one of photo, webcam"
    bad_fit = {"regions": {"chest": {"label": "tight-ish"}}}
    with pytest.raises(InvalidEvent) as caught:
        store.record_tryon("shp_a", "tee", "M", fit=bad_fit)
    assert str(caught.value) == (
        "fit label 'tight-ish' of region 'chest' is not one of "
        "too tight, snug, good, relaxed, too loose"
    )
    assert count(store, schema.tryons) == 0


def test_a_retried_order_is_recorded_once(store):
    store.record_tryon("shp_a", "tee", "M", created_at=T0)
    lines = [{"garment_id": "tee", "size": "M", "unit_price": 20.0}]
    first = store.record_order("shp_a", lines, "order-key-1", created_at=T0)
    again = store.record_order("shp_a", lines, "order-key-1")
    assert first.created is True
    assert again.created is False
    assert again == first.__class__(**{**first.__dict__, "created": False})
    assert count(store, schema.orders) == 1
    assert count(store, schema.order_lines) == 1
    # The line is linked to the try-on that came before it.
    assert first.lines[0].tryon_id is not None


def test_concurrent_retries_of_an_order_store_it_once(store):
    lines = [{"garment_id": "tee", "size": "M"}]
    results = []

    def submit() -> None:
        results.append(store.record_order("shp_b", lines, "same-key"))

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({record.id for record in results}) == 1
    assert sum(record.created for record in results) == 1
    assert count(store, schema.orders) == 1


def test_order_without_a_try_on_has_no_link(store):
    order = store.record_order("shp_c", [{"garment_id": "tee", "size": "S"}], "k")
    assert order.lines[0].tryon_id is None


def test_a_try_on_after_the_order_is_not_linked(store):
    store.record_tryon("shp_c", "tee", "S", created_at=T0 + timedelta(days=1))
    order = store.record_order(
        "shp_c", [{"garment_id": "tee", "size": "S"}], "k", created_at=T0
    )
    assert order.lines[0].tryon_id is None


def test_a_retried_return_is_recorded_once(store):
    order = store.record_order("shp_a", [{"garment_id": "tee", "size": "M"}], "o1")
    line_id = order.lines[0].id
    first = store.record_return(line_id, "too small", "ret-1", note="tight at chest")
    again = store.record_return(line_id, "too small", "ret-1", note="tight at chest")
    assert (first.created, again.created) == (True, False)
    assert first.id == again.id
    assert count(store, schema.returns) == 1


def test_return_reason_outside_the_taxonomy_is_refused(store):
    order = store.record_order("shp_a", [{"garment_id": "tee", "size": "M"}], "o1")
    with pytest.raises(InvalidEvent) as caught:
        store.record_return(order.lines[0].id, "too tight", "ret-1")
    assert str(caught.value) == (
        "return reason 'too tight' is not one of too small, too large, "
        "not as pictured, colour, quality, changed mind, other"
    )
    assert count(store, schema.returns) == 0


def test_return_of_a_missing_line_raises_not_found(store):
    with pytest.raises(NotFound) as caught:
        store.record_return(999, "other", "ret-x")
    assert str(caught.value) == "order line 999 does not exist; check the order's lines"


def test_an_order_needs_lines(store):
    with pytest.raises(InvalidEvent) as caught:
        store.record_order("shp_a", [], "empty")
    assert str(caught.value) == "an order needs at least one line (garment_id, size)"
    assert count(store, schema.orders) == 0
    assert store.get_shopper("shp_a") is None


def test_photo_is_stored_only_after_opt_in(store):
    shopper = store.new_shopper()
    assert store.get_shopper(shopper)["photo_opt_in"] is False
    store.record_tryon(shopper, "tee", "M", photo=b"jpeg bytes")
    assert store.count_photos(shopper) == 0

    store.set_photo_opt_in(shopper, True)
    store.record_tryon(shopper, "tee", "M", photo=b"jpeg bytes")
    assert store.count_photos(shopper) == 1

    # Opting out deletes what was kept.
    store.set_photo_opt_in(shopper, False)
    assert store.count_photos(shopper) == 0


def test_new_shoppers_get_random_anonymous_ids(store):
    first, second = store.new_shopper(), store.new_shopper()
    assert first != second
    assert first.startswith("shp_") and len(first) == 20


def test_batch_is_all_or_nothing(store):
    with pytest.raises(RuntimeError):
        with store.batch():
            store.record_tryon("shp_d", "tee", "M")
            store.record_order("shp_d", [{"garment_id": "tee", "size": "M"}], "b1")
            raise RuntimeError("stop")
    assert count(store, schema.tryons) == 0
    assert count(store, schema.orders) == 0
    assert store.get_order("b1") is None


def test_sqlite_connections_use_wal_and_foreign_keys(store, backend):
    if backend != "sqlite":
        pytest.skip("SQLite connection settings")
    with store.engine.connect() as connection:
        journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
        timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    assert (journal, foreign_keys, timeout) == ("wal", 1, 15000)


def test_regions_without_a_label_are_left_out(store):
    fit = {"regions": {"chest": {"label": "snug"}, "hem": {"label": None}}}
    tryon_id = store.record_tryon("shp_a", "tee", "M", fit=fit)
    with store.engine.connect() as connection:
        row = (
            connection.execute(
                select(schema.tryons).where(schema.tryons.c.id == tryon_id)
            )
            .one()
            ._mapping
        )
    assert row["region_labels"] == {"chest": "snug"}
    assert row["fit_label"] == "snug"


def test_a_line_links_to_the_try_on_of_the_size_bought(store):
    first = store.record_tryon("shp_e", "tee", "M", created_at=T0)
    store.record_tryon("shp_e", "tee", "L", created_at=T0 + timedelta(minutes=2))
    order = store.record_order(
        "shp_e",
        [{"garment_id": "tee", "size": "M"}],
        "size-link",
        created_at=T0 + timedelta(minutes=5),
    )
    assert order.lines[0].tryon_id == first
