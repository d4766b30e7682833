"""Example photos made at run time for a shopper who has none."""

from __future__ import annotations

import requests
from PIL import Image


def test_server_offers_astronaut_and_mannequin_examples(live_server):
    folder = live_server.home / "output" / "examples"
    names = sorted(path.name for path in folder.glob("*.png"))
    assert "astronaut.png" in names
    mannequins = [name for name in names if name.startswith("mannequin_")]
    assert len(mannequins) >= 3, names
    for name in mannequins:
        assert Image.open(folder / name).size == (720, 960)
    # The shopper's page lists them as examples.
    config = requests.get(live_server.url + "/config", timeout=10).text
    assert "astronaut.png" in config
    assert all(name in config for name in mannequins)
