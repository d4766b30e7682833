"""Schema migrations on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from tryon.store import Store, current_revision, downgrade, head_revision, upgrade
from tryon.store.engine import make_engine
from tryon.store.schema import metadata

TABLES = {
    "garments",
    "garment_sizes",
    "shoppers",
    "shopper_photos",
    "tryons",
    "orders",
    "order_lines",
    "returns",
}


def user_tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_from_empty(empty_url):
    engine = make_engine(empty_url)
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert user_tables(engine) == TABLES
    engine.dispose()


def test_migrated_schema_matches_the_tables_the_code_queries(empty_url):
    engine = make_engine(empty_url)
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, metadata)
    assert differences == []
    engine.dispose()


def test_downgrade_upgrade_round_trip_keeps_working(empty_url):
    store = Store(empty_url)
    store.put_garment({"id": "tee", "name": "Tee", "category": "top"})
    downgrade(store.engine)
    assert current_revision(store.engine) is None
    assert user_tables(store.engine) == set()

    upgrade(store.engine)
    assert user_tables(store.engine) == TABLES
    assert store.list_garments() == []
    store.put_garment({"id": "tee", "name": "Tee", "category": "top"})
    assert store.get_garment("tee")["name"] == "Tee"
    store.close()


def test_opening_twice_does_not_migrate_again(empty_url):
    first = Store(empty_url)
    first.put_garment({"id": "tee", "name": "Tee", "category": "top"})
    second = Store(empty_url)
    assert second.get_garment("tee")["name"] == "Tee"
    first.close()
    second.close()


def test_step_by_step_upgrade_and_back(empty_url):
    engine = make_engine(empty_url)
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    indexes = {i["name"] for i in inspect(engine).get_indexes("tryons")}
    assert "ix_tryons_shopper_id" not in indexes
    upgrade(engine)
    indexes = {i["name"] for i in inspect(engine).get_indexes("tryons")}
    assert "ix_tryons_shopper_id" in indexes
    downgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    assert user_tables(engine) == TABLES
    engine.dispose()
