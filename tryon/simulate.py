"""Synthetic shopper traffic for demos and offline evaluation.

Every event written here is flagged ``synthetic=True`` and every output
that shows it says "synthetic". The generative model, per shopper:

1. **Body.** Sex is female or male with equal odds. Height (cm) is
   normal, N(163, 7) for women and N(176, 7.5) for men. Chest, waist and
   hip girths (cm) are drawn jointly from a multivariate normal by sex
   (women: means 92 / 76 / 101, sd 8 / 9 / 8; men: 101 / 89 / 101, sd
   8 / 10 / 7), with correlations chest-waist 0.75, chest-hip 0.65,
   waist-hip 0.75 and 0.25 between height and each girth. What a
   try-on measures is the true value plus N(0, 2 cm) of measurement
   noise, drawn anew at every try-on.
2. **Taste.** Category preferences are Dirichlet(0.6) over the
   catalog's categories, colour preferences Dirichlet(0.4) over six
   colour families (neutral, red, yellow, green, blue, purple; a
   garment's family comes from its hue), a budget that is log-normal
   around the catalog's median price (sigma 0.4) and a price
   sensitivity, uniform on [0.5, 2.5]. Each garment also has a hidden
   appeal, N(0, 0.5).
3. **Sessions.** A shopper's activity rate (sessions a day) is 0.1 x
   log-normal(0, 0.6); the number of sessions is Poisson(rate x days)
   and they fall uniformly over the days. In a session the shopper
   picks a category by taste and looks at one to three garments of it,
   chosen with probabilities softmax(affinity), where affinity = 1.5 log
   category preference + 2 colour preference + appeal - price
   sensitivity x max(0, log(price / budget)).
4. **Try-ons.** Most looks are try-ons (probability 0.7) in the size
   the shopper guesses (the chart's best size for the true body, off by
   one size with probability 0.35). The fit is computed from the size
   chart (:mod:`tryon.recommend.chart_fit`), not by a full drape: a
   drape costs about a second, a chart fit microseconds. After a try-on
   with any label but "good" the shopper tries the recommended size
   (when it is another) with probability 0.6.
5. **Purchases.** The probability of buying a tried garment is
   sigmoid(-1.4 + 1.2 affinity + 2.5 (fit score - 0.5)); the shopper
   buys the size with the best try-on. A look without try-on is bought
   with probability sigmoid(-2.2 + 1.2 affinity) in the guessed size.
6. **Returns.** The fit that matters is the true body's in the bought
   size. P(return as "too small") by its label: too tight 0.55, snug
   0.22, good 0.03, relaxed 0.01, too loose 0.01; "too large": too loose
   0.5, relaxed 0.2, good 0.03, snug 0.01, too tight 0.01. Taste
   returns: "colour" 0.15 x max(0, 1 - 3 x colour preference), "changed
   mind" 0.04 + 0.06 x min(1, max(0, price / budget - 1)), "not as
   pictured" 0.03, "quality" 0.02, "other" 0.01. Reasons are drawn in
   this order and the first drawn wins. The return comes 3 to 20 days
   after the order and is kept only if it falls within the period.
"""

from __future__ import annotations

import logging
import math
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from tryon.errors import InputError
from tryon.recommend.chart_fit import ChartFit, best_size, chart_fit
from tryon.recommend.garment_features import COLOUR_FAMILIES, colour_family
from tryon.store import BulkEvents, BulkOrder, BulkReturn, Store, utc_now

__all__ = [
    "SimulationSummary",
    "simulate",
    "ShopperBody",
    "draw_bodies",
]

logger = logging.getLogger(__name__)

_MEANS = {"female": (92.0, 76.0, 101.0), "male": (101.0, 89.0, 101.0)}
_SDS = {"female": (8.0, 9.0, 8.0), "male": (8.0, 10.0, 7.0)}
_HEIGHT = {"female": (163.0, 7.0), "male": (176.0, 7.5)}
# Order: height, chest, waist, hip.
_CORRELATION = np.array(
    [
        [1.0, 0.25, 0.25, 0.25],
        [0.25, 1.0, 0.75, 0.65],
        [0.25, 0.75, 1.0, 0.75],
        [0.25, 0.65, 0.75, 1.0],
    ]
)
MEASUREMENT_NOISE_CM = 2.0

_TOO_SMALL = {
    "too tight": 0.55,
    "snug": 0.22,
    "good": 0.03,
    "relaxed": 0.01,
    "too loose": 0.01,
}
_TOO_LARGE = {
    "too tight": 0.01,
    "snug": 0.01,
    "good": 0.03,
    "relaxed": 0.2,
    "too loose": 0.5,
}


@dataclass(frozen=True)
class SimulationSummary:
    """What one ``tryon simulate`` run wrote (all of it synthetic).

    Attributes:
        run_id: tag in the run's shopper ids and idempotency keys.
        shoppers: shoppers with at least one event.
        tryons: try-on events.
        orders: orders (one line each).
        returns: returns.
        start: first moment of the simulated period (naive UTC).
        end: last moment of the simulated period (naive UTC).
    """

    run_id: str
    shoppers: int
    tryons: int
    orders: int
    returns: int
    start: datetime
    end: datetime


@dataclass(frozen=True)
class ShopperBody:
    """A simulated body (cm)."""

    sex: str
    height: float
    chest_girth: float
    waist_girth: float
    hip_girth: float

    def measurements(self) -> dict[str, float]:
        return {
            "height": self.height,
            "chest_girth": self.chest_girth,
            "waist_girth": self.waist_girth,
            "hip_girth": self.hip_girth,
        }


def draw_bodies(rng: np.random.Generator, count: int) -> list[ShopperBody]:
    """``count`` bodies from the distributions of the module docstring."""
    chol = np.linalg.cholesky(_CORRELATION)
    bodies = []
    for _ in range(count):
        sex = "female" if rng.random() < 0.5 else "male"
        z = chol @ rng.standard_normal(4)  # (4,) correlated standard normals
        mean_h, sd_h = _HEIGHT[sex]
        girths = np.array(_MEANS[sex]) + np.array(_SDS[sex]) * z[1:]
        bodies.append(ShopperBody(sex, mean_h + sd_h * z[0], *girths.tolist()))
    return bodies


@dataclass(frozen=True)
class _Item:
    """A garment as the simulator sees it."""

    id: str
    category: str
    family: str
    price: float
    sizes: tuple[str, ...]
    chart: Mapping[str, Mapping[str, float]]
    appeal: float


@dataclass
class _Shopper:
    id: str
    body: ShopperBody
    category_pref: dict[str, float]
    colour_pref: dict[str, float]
    budget: float
    price_sensitivity: float


def _usable_items(
    garments: Sequence[Mapping[str, Any]], rng: np.random.Generator
) -> list[_Item]:
    items = []
    for garment in garments:
        chart = garment.get("size_chart") or {}
        sizes = tuple(s for s in garment.get("sizes") or chart if s in chart)
        if not sizes:
            logger.info(
                "simulate: garment %s has no size chart, left out", garment["id"]
            )
            continue
        items.append(
            _Item(
                id=garment["id"],
                category=garment["category"],
                family=colour_family(garment.get("colour")),
                price=float(garment.get("price") or 30.0),
                sizes=sizes,
                chart=chart,
                appeal=float(rng.normal(0.0, 0.5)),
            )
        )
    if not items:
        raise InputError(
            "no garment in the catalog has a size chart; import garments with "
            "sizes before running tryon simulate"
        )
    return items


def _draw_shoppers(
    rng: np.random.Generator, count: int, items: list[_Item], run_id: str
) -> list[_Shopper]:
    categories = sorted({item.category for item in items})
    median_price = float(np.median([item.price for item in items]))
    shoppers = []
    for n, body in enumerate(draw_bodies(rng, count)):
        shoppers.append(
            _Shopper(
                id=f"sim-{run_id}-{n:05d}",
                body=body,
                category_pref=dict(
                    zip(categories, rng.dirichlet([0.6] * len(categories)), strict=True)
                ),
                colour_pref=dict(
                    zip(
                        COLOUR_FAMILIES,
                        rng.dirichlet([0.4] * len(COLOUR_FAMILIES)),
                        strict=True,
                    )
                ),
                budget=median_price * float(rng.lognormal(0.0, 0.4)),
                price_sensitivity=float(rng.uniform(0.5, 2.5)),
            )
        )
    return shoppers


def _affinity(shopper: _Shopper, item: _Item) -> float:
    over_budget = max(0.0, math.log(item.price / shopper.budget))
    return (
        1.5 * math.log(shopper.category_pref[item.category] + 1e-3)
        + 2.0 * shopper.colour_pref[item.family]
        + item.appeal
        - shopper.price_sensitivity * over_budget
    )


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _softmax(values: np.ndarray) -> np.ndarray:
    exp = np.exp(values - values.max())
    return exp / exp.sum()


def _fit_summary(fit: ChartFit, best: ChartFit | None, girths: Mapping) -> dict:
    """The fit section the store keeps, made from a chart fit."""
    regions = {}
    for region, ease in fit.ease_cm.items():
        girth = girths.get(f"{region}_girth") or 100.0
        regions[region] = {
            "ease_cm": round(ease, 1),
            "strain": round(max(0.0, -ease) / girth, 4),
            "label": fit.labels[region],
        }
    strains = [region["strain"] for region in regions.values()]
    return {
        "score": round(fit.score, 3),
        "recommended_size": None if best is None else best.size,
        "regions": regions,
        "strain_p95": max(strains) if strains else None,
    }


_NOTES = {
    "too small": "tight at the {region}",
    "too large": "loose at the {region}",
    "not as pictured": "looked different on the screen",
    "colour": "the colour is not for me",
    "quality": "the seams came apart",
    "changed mind": "",
    "other": "",
}


class _Simulation:
    """One run: the random state, the store, the counters."""

    def __init__(
        self,
        store: Store,
        rng: np.random.Generator,
        items: list[_Item],
        run_id: str,
        start: datetime,
        end: datetime,
    ) -> None:
        self.store = store
        self.rng = rng
        self.items = items
        self.run_id = run_id
        self.start = start
        self.end = end
        self.events = BulkEvents()
        # Index of the last try-on by (shopper, garment) and by
        # (shopper, garment, size): what an order line is linked to.
        self.last_tryon: dict[tuple[str, ...], int] = {}
        self.best_sizes: dict[tuple[str, str], str] = {}
        self.active: set[str] = set()
        self.by_category: dict[str, list[_Item]] = {}
        for item in items:
            self.by_category.setdefault(item.category, []).append(item)

    def true_best_size(self, shopper: _Shopper, item: _Item) -> str:
        """The chart's best size for the shopper's true body (cached)."""
        key = (shopper.id, item.id)
        if key not in self.best_sizes:
            measurements = shopper.body.measurements()
            best = best_size(measurements, item.chart, item.sizes, item.category)
            self.best_sizes[key] = best.size
        return self.best_sizes[key]

    def guess_size(self, shopper: _Shopper, item: _Item) -> str:
        index = item.sizes.index(self.true_best_size(shopper, item))
        if self.rng.random() < 0.35:
            index += 1 if self.rng.random() < 0.5 else -1
        return item.sizes[min(max(index, 0), len(item.sizes) - 1)]

    def measured(self, body: ShopperBody) -> dict[str, float]:
        noise = self.rng.normal(0.0, MEASUREMENT_NOISE_CM, 4)
        return {
            key: value + float(noise[i])
            for i, (key, value) in enumerate(body.measurements().items())
        }

    def try_on(
        self, shopper: _Shopper, item: _Item, size: str, moment: datetime
    ) -> tuple[ChartFit, str | None]:
        measured = self.measured(shopper.body)
        fit = chart_fit(measured, item.chart[size], item.category, size)
        best = best_size(measured, item.chart, item.sizes, item.category)
        self.events.tryons.append(
            {
                "shopper_id": shopper.id,
                "garment_id": item.id,
                "size": size,
                "measurements_cm": measured,
                "fit": _fit_summary(fit, best, measured),
                "source": "photo" if self.rng.random() < 0.7 else "webcam",
                "synthetic": True,
                "created_at": moment,
            }
        )
        index = len(self.events.tryons) - 1
        self.last_tryon[(shopper.id, item.id)] = index
        self.last_tryon[(shopper.id, item.id, size)] = index
        self.active.add(shopper.id)
        return fit, None if best is None else best.size

    def order(self, shopper: _Shopper, item: _Item, size: str, moment: datetime):
        self.active.add(shopper.id)
        line = {
            "garment_id": item.id,
            "size": size,
            "unit_price": item.price,
            "tryon_index": self.last_tryon.get(
                (shopper.id, item.id, size), self.last_tryon.get((shopper.id, item.id))
            ),
        }
        orders = self.events.orders
        key = f"sim-{self.run_id}-order-{len(orders) + 1}"
        orders.append(BulkOrder(shopper.id, key, moment, [line], synthetic=True))
        reason, region = self.return_reason(shopper, item, size)
        if reason is None:
            return
        returned = moment + timedelta(days=float(self.rng.uniform(3.0, 20.0)))
        if returned > self.end:
            return
        returns = self.events.returns
        returns.append(
            BulkReturn(
                order_index=len(orders) - 1,
                line_index=0,
                reason=reason,
                idempotency_key=f"sim-{self.run_id}-return-{len(returns) + 1}",
                created_at=returned,
                note=_NOTES[reason].format(region=region),
                synthetic=True,
            )
        )

    def return_reason(
        self, shopper: _Shopper, item: _Item, size: str
    ) -> tuple[str | None, str]:
        true_fit = chart_fit(
            shopper.body.measurements(), item.chart[size], item.category, size
        )
        label = true_fit.label or "good"
        ease = true_fit.deviation_cm or {"body": 0.0}
        over_budget = max(0.0, item.price / shopper.budget - 1.0)
        chances = (
            ("too small", _TOO_SMALL[label], min(ease, key=ease.get)),
            ("too large", _TOO_LARGE[label], max(ease, key=ease.get)),
            ("colour", 0.15 * max(0.0, 1 - 3 * shopper.colour_pref[item.family]), ""),
            ("changed mind", 0.04 + 0.06 * min(over_budget, 1.0), ""),
            ("not as pictured", 0.03, ""),
            ("quality", 0.02, ""),
            ("other", 0.01, ""),
        )
        for reason, chance, region in chances:
            if self.rng.random() < chance:
                return reason, region
        return None, ""

    def look(self, shopper: _Shopper, item: _Item, moment: datetime) -> None:
        affinity = _affinity(shopper, item)
        size = self.guess_size(shopper, item)
        if self.rng.random() >= 0.7:
            if self.rng.random() < _sigmoid(-2.2 + 1.2 * affinity):
                self.order(shopper, item, size, moment + timedelta(minutes=5))
            return
        fit, recommended = self.try_on(shopper, item, size, moment)
        best, best_fit = size, fit
        poor = fit.label not in (None, "good")
        if poor and recommended not in (None, size) and self.rng.random() < 0.6:
            moment += timedelta(minutes=2)
            second, _ = self.try_on(shopper, item, recommended, moment)
            if second.score > fit.score:
                best, best_fit = recommended, second
        chance = _sigmoid(-1.4 + 1.2 * affinity + 2.5 * (best_fit.score - 0.5))
        if self.rng.random() < chance:
            self.order(shopper, item, best, moment + timedelta(minutes=5))

    def session(self, shopper: _Shopper, moment: datetime) -> None:
        categories = list(self.by_category)
        weights = np.array([shopper.category_pref[c] for c in categories])
        category = categories[
            self.rng.choice(len(categories), p=weights / weights.sum())
        ]
        candidates = self.by_category[category]
        affinity = np.array([_affinity(shopper, item) for item in candidates])
        count = min(len(candidates), int(self.rng.integers(1, 4)))
        chosen = self.rng.choice(
            len(candidates), size=count, replace=False, p=_softmax(affinity)
        )
        for index in chosen:
            self.look(shopper, candidates[index], moment)
            moment += timedelta(minutes=10)

    def shopper_sessions(self, shopper: _Shopper, days: int) -> None:
        rate = 0.1 * float(self.rng.lognormal(0.0, 0.6))
        sessions = int(self.rng.poisson(rate * days))
        offsets = np.sort(self.rng.uniform(0.0, days, sessions))
        for offset in offsets:
            self.session(shopper, self.start + timedelta(days=float(offset)))


def simulate(
    store: Store,
    *,
    shoppers: int = 500,
    days: int = 60,
    seed: int = 0,
    end: datetime | None = None,
) -> SimulationSummary:
    """Write synthetic traffic (module docstring) to ``store``.

    Args:
        store: the event store; its garments are the catalog shopped.
        shoppers: number of simulated shoppers.
        days: length of the simulated period, ending at ``end``.
        seed: random seed; the same seed and catalog give the same
            traffic (ids carry a fresh run tag so runs do not collide).
        end: end of the period, naive UTC (default: now).

    Returns:
        What was written.

    Raises:
        InputError: bad counts, or no garment has a size chart.
    """
    if shoppers < 1 or days < 1:
        raise InputError(
            f"--shoppers and --days must be 1 or more, got {shoppers} and {days}"
        )
    rng = np.random.default_rng(seed)
    items = _usable_items(store.list_garments(), rng)
    run_id = f"{seed}{secrets.token_hex(2)}"
    end = end or utc_now()
    start = end - timedelta(days=days)
    simulation = _Simulation(store, rng, items, run_id, start, end)
    for shopper in _draw_shoppers(rng, shoppers, items, run_id):
        simulation.shopper_sessions(shopper, days)
    counts = store.load_events(simulation.events)
    logger.info("simulated %s synthetic events", counts)
    return SimulationSummary(
        run_id=run_id,
        shoppers=len(simulation.active),
        tryons=counts["tryons"],
        orders=counts["orders"],
        returns=counts["returns"],
        start=start,
        end=end,
    )
