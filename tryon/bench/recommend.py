"""Benchmarks of the event store and of serving recommendations.

Scene: a temporary SQLite store with 48 made-up garments (four
categories, six colours, three price levels, one size chart per
category) and 300 simulated shoppers over 60 days, fixed seed; a Wide &
Deep model trained on it once, before timing.
"""

from __future__ import annotations

import itertools
import logging
import tempfile
from datetime import datetime
from pathlib import Path

import numpy as np

from tryon.bench import Case, benchmark
from tryon.recommend.baselines import Popularity
from tryon.recommend.events import garment_rows, load_event_log, load_shopper_events
from tryon.recommend.service import Recommender
from tryon.simulate import simulate
from tryon.store import Store

logger = logging.getLogger(__name__)

_SIZES = ("XS", "S", "M", "L", "XL", "XXL")
# Garment chest, waist, hip (cm) of size XS per category; +6 cm a size.
_XS_CM = {
    "top": (92, 80, 98),
    "bottom": (82, 68, 97),
    "dress": (90, 74, 100),
    "outerwear": (98, 84, 104),
}
_COLOURS = ("#1a1a1a", "#c03030", "#d8b830", "#30a050", "#3050c0", "#8040a0")


def bench_catalog() -> list[dict]:
    """48 garment records with size charts."""
    records = []
    for category, base in _XS_CM.items():
        combos = itertools.product(_COLOURS, (19.0, 39.0))
        for n, (colour, price) in enumerate(combos):
            chart = {
                size: {
                    part: float(cm + 6 * i)
                    for part, cm in zip(("chest", "waist", "hip"), base, strict=True)
                }
                for i, size in enumerate(_SIZES)
            }
            records.append(
                {
                    "id": f"bench-{category}-{n:02d}",
                    "name": f"Bench {category} {n}",
                    "category": category,
                    "colour": colour,
                    "price": price + n,
                    "sizes": list(_SIZES),
                    "base_size": "M",
                    "size_chart": chart,
                }
            )
    return records


def _simulated_store(folder: Path) -> Store:
    store = Store(f"sqlite:///{folder / 'bench.db'}")
    for record in bench_catalog():
        store.put_garment(record)
    simulate(store, shoppers=300, days=60, seed=1, end=datetime(2026, 6, 1))
    return store


@benchmark("recommend_10", "10 fit-aware Wide & Deep recommendations, warm model")
def recommend_10() -> Case:
    folder = Path(tempfile.mkdtemp(prefix="tryon-bench-recommend-"))
    store = _simulated_store(folder)
    recommender = Recommender(store, folder / "models")
    trained = recommender.train()
    log = load_event_log(store)
    shopper = log.kept()["shopper_id"].value_counts().index[0]
    popularity = Popularity().fit(log)

    def popularity_10() -> list[str]:
        # The same reads of the store, ranked by popularity instead.
        ids = [g["garment_id"] for g in garment_rows(store)]
        owned = set(load_shopper_events(store, shopper).kept)
        order = np.argsort(-popularity.scores(shopper))
        return [ids[i] for i in order if ids[i] not in owned][:10]

    return Case(
        subject=lambda: recommender.recommend(shopper, k=10),
        reference=popularity_10,
        reference_name="popularity top 10, same store reads",
        warmup=2,
        extra={
            "garments": len(log.garments),
            "training_pairs": trained.pairs,
            "training_s": round(trained.seconds, 2),
        },
    )


@benchmark("store_record_tryon", "one try-on event written to SQLite (one transaction)")
def store_record_tryon() -> Case:
    folder = Path(tempfile.mkdtemp(prefix="tryon-bench-store-"))
    store = Store(f"sqlite:///{folder / 'bench.db'}")
    fit = {
        "score": 0.8,
        "recommended_size": "M",
        "regions": {"chest": {"ease_cm": 6.0, "strain": 0.01, "label": "good"}},
        "strain_p95": 0.02,
    }
    measurements = {"height": 170.2, "chest_girth": 95.4, "waist_girth": 80.1}
    timings = {"pose": 45.0, "drape": 300.0, "render": 90.0, "total": 480.0}

    def write() -> int:
        return store.record_tryon(
            "shp_bench",
            "bench-top-00",
            "M",
            measurements_cm=measurements,
            fit=fit,
            timings_ms=timings,
        )

    return Case(subject=write, warmup=3)
