"""``tryon report``: printed tables say synthetic, --csv writes a header."""

from __future__ import annotations

import csv
from datetime import datetime

import pytest

from tests.recommend.catalog import garment_records
from tryon.cli import main
from tryon.settings import load_settings
from tryon.simulate import simulate
from tryon.store import open_store


@pytest.fixture()
def simulated_home(tryon_home):
    store = open_store(load_settings())
    for record in garment_records(per_category=3):
        store.put_garment(record)
    simulate(store, shoppers=60, days=30, seed=3, end=datetime(2026, 6, 1))
    return tryon_home


def test_report_fit_writes_a_csv_with_a_header(simulated_home, capsys):
    path = simulated_home / "fit.csv"
    assert main(["report", "fit", "--csv", str(path)]) == 0
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:5] == ["group", "value", "sold", "returned", "return_rate"]
    assert rows[0][-1] == "data"
    assert len(rows) > 2
    assert {row[-1] for row in rows[1:]} == {"synthetic"}
    out = capsys.readouterr().out
    assert "returns by fit label and fit score at try-on [synthetic data]" in out


@pytest.mark.parametrize("kind", ["returns", "conversion"])
def test_other_reports_print_and_export(simulated_home, kind, capsys):
    path = simulated_home / f"{kind}.csv"
    assert main(["report", kind, "--since", "2026-05-15", "--csv", str(path)]) == 0
    assert path.read_text().splitlines()[0].split(",")[0] == "garment_id"
    assert "[synthetic data]" in capsys.readouterr().out


def test_bad_since_is_a_user_error(tryon_home, capsys):
    assert main(["report", "returns", "--since", "last week"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "tryon: error: --since must be a date YYYY-MM-DD, got 'last week'"
    )
