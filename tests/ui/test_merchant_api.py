"""The merchandiser edits and removes garments through the logged-in API."""

from __future__ import annotations

import json

import pytest

from tests.ui.test_load import first_garment


def _bottoms(home) -> list[str]:
    import os
    import subprocess
    import sys

    from tests.ui.conftest import REPO

    env = dict(os.environ, TRYON_HOME=str(home))
    env.pop("TRYON_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "tryon", "garments", "list", "--json"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [g["id"] for g in json.loads(done.stdout) if g["category"] == "bottom"]


def test_edit_then_remove_a_garment(live_server):
    from gradio_client import Client

    if first_garment(live_server.home) is None:
        pytest.skip("the catalog is not available")
    bottoms = _bottoms(live_server.home)
    if len(bottoms) < 2:
        pytest.skip("the catalog has fewer than two bottoms")
    garment = bottoms[-1]
    client = Client(
        live_server.url + "/merchant/",
        auth=live_server.login("merchant"),
        verbose=False,
    )
    sizes, name, *_ = client.predict(garment, api_name="/garment_details")
    note, _ = client.predict(
        garment,
        "Renamed by the test",
        42.5,
        "#112233",
        "S, M, L",
        "test",
        api_name="/update_garment",
    )
    assert note == f"Saved {garment}."
    _, name, price, colour, sizes, tags, _ = client.predict(
        garment, api_name="/garment_details"
    )
    assert (name, price, colour, sizes, tags) == (
        "Renamed by the test",
        42.5,
        "#112233",
        "S, M, L",
        "test",
    )

    with pytest.raises(Exception) as refused:
        client.predict(garment, False, api_name="/remove_garment")
    assert "tick 'yes, remove it' to remove the garment" in str(refused.value)
    note, *_ = client.predict(garment, True, api_name="/remove_garment")
    assert note == f"Removed {garment}."
    assert garment not in _bottoms(live_server.home)
