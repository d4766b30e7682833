"""The traffic generator follows its documented model."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from sqlalchemy import func, select

from tests.recommend.catalog import garment_records
from tests.store.backends import fresh_store
from tryon.cli import main
from tryon.errors import InputError
from tryon.settings import load_settings
from tryon.simulate import draw_bodies, simulate
from tryon.store import open_store, schema

END = datetime(2026, 6, 1)


def test_bodies_follow_the_documented_distributions():
    bodies = draw_bodies(np.random.default_rng(0), 4000)
    for sex, height, chest in (("female", 163.0, 92.0), ("male", 176.0, 101.0)):
        group = [b for b in bodies if b.sex == sex]
        assert np.mean([b.height for b in group]) == pytest.approx(height, abs=0.6)
        assert np.mean([b.chest_girth for b in group]) == pytest.approx(chest, abs=0.6)
    chest = [b.chest_girth for b in bodies if b.sex == "female"]
    waist = [b.waist_girth for b in bodies if b.sex == "female"]
    assert np.corrcoef(chest, waist)[0, 1] == pytest.approx(0.75, abs=0.04)


def counts(store) -> dict[str, int]:
    with store.engine.connect() as connection:
        return {
            table.name: connection.execute(
                select(func.count()).select_from(table)
            ).scalar()
            for table in (schema.tryons, schema.orders, schema.returns)
        }


def test_same_seed_same_traffic_all_synthetic(tmp_path):
    results = []
    for run in range(2):
        with fresh_store("sqlite", tmp_path / str(run)) as store:
            for record in garment_records(per_category=3):
                store.put_garment(record)
            summary = simulate(store, shoppers=40, days=20, seed=5, end=END)
            results.append((summary.tryons, summary.orders, summary.returns))
            assert counts(store) == {
                "tryons": summary.tryons,
                "orders": summary.orders,
                "returns": summary.returns,
            }
            with store.engine.connect() as connection:
                real = select(func.count()).where(~schema.tryons.c.synthetic)
                assert connection.execute(real).scalar() == 0
    assert results[0] == results[1]
    assert results[0][0] > 0


def test_garments_without_size_chart_cannot_be_simulated(tmp_path):
    with fresh_store("sqlite", tmp_path) as store:
        store.put_garment({"id": "x", "name": "X", "category": "top"})
        with pytest.raises(InputError) as caught:
            simulate(store, shoppers=5, days=5)
    assert str(caught.value) == (
        "no garment in the catalog has a size chart; import garments with "
        "sizes before running tryon simulate"
    )


def test_simulate_command_labels_its_output(tryon_home, capsys):
    store = open_store(load_settings())
    for record in garment_records(per_category=2):
        store.put_garment(record)
    assert main(["simulate", "--shoppers", "20", "--days", "10", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("synthetic traffic written (run ")
    assert "flagged synthetic=True" in out


def test_bad_counts_are_a_user_error(tryon_home, capsys):
    store = open_store(load_settings())
    store.put_garment(garment_records(per_category=1)[0])
    assert main(["simulate", "--shoppers", "0"]) == 2
    assert capsys.readouterr().err.strip() == (
        "tryon: error: --shoppers and --days must be 1 or more, got 0 and 60"
    )
