"""Features of (shopper, garment) pairs for the Wide & Deep model.

A :class:`FeatureSpace` is fitted on a training log (which shoppers and
garments have an embedding, the price bands, garment popularity) and
then encodes any pair, using shopper profiles built from whatever log
is at hand when serving (so new history counts without retraining).

Per pair:
    ids: shopper, garment, category, colour family, price band, size
        band (of the shopper's chest girth); 0 is "unknown".
    wide: indices of crossed features in one table: category x size
        band, colour family x the shopper's favourite family, category x
        favourite category, price band x the shopper's budget band,
        predicted fit label x category.
    dense: the shopper's measurements (normalised) and whether known,
        category and colour shares of the shopper's history, the share
        of this garment's category and family in it, log price over the
        shopper's budget, the chart-based fit score of the garment in
        the shopper's best size, log activity, garment popularity, and
        how often the shopper tried this garment on (log).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from tryon.recommend.chart_fit import ChartFit, best_size
from tryon.recommend.events import EventLog, ShopperEvents
from tryon.recommend.garment_features import (
    COLOUR_FAMILIES,
    price_band,
    price_band_edges,
)
from tryon.store.vocab import CATEGORIES, FIT_LABELS

__all__ = [
    "ShopperProfile",
    "shopper_profiles",
    "profile_of",
    "FeatureSpace",
    "EncodedPairs",
    "PURCHASE_WEIGHT",
]

# Weight of a kept purchase against a try-on in a shopper's profile.
PURCHASE_WEIGHT = 3.0
# Chest girth (cm) edges of the shopper size bands.
SIZE_BAND_EDGES = (88.0, 96.0, 104.0, 112.0)
_NORMALISE = {
    "height": (170.0, 10.0),
    "chest_girth": (96.0, 10.0),
    "waist_girth": (82.0, 11.0),
    "hip_girth": (101.0, 8.0),
}
_CROSS_SIZES = (
    (len(CATEGORIES) + 1) * (len(SIZE_BAND_EDGES) + 2),
    len(COLOUR_FAMILIES) * (len(COLOUR_FAMILIES) + 1),
    (len(CATEGORIES) + 1) * (len(CATEGORIES) + 1),
    5 * 5,
    (len(FIT_LABELS) + 1) * (len(CATEGORIES) + 1),
)
WIDE_SIZE = sum(_CROSS_SIZES)
DENSE_SIZE = 5 + len(CATEGORIES) + len(COLOUR_FAMILIES) + 7


@dataclass(frozen=True)
class ShopperProfile:
    """What a shopper's history says about them.

    Attributes:
        category_share: (4,) share of each category in the history.
        family_share: (6,) share of each colour family.
        log_budget: mean log price of what they looked at, or None.
        interactions: weighted number of events.
        measurements: latest measurements (cm), possibly empty.
        tried: garment_id -> how many times the shopper tried it on.
    """

    category_share: np.ndarray
    family_share: np.ndarray
    log_budget: float | None
    interactions: float
    measurements: Mapping[str, float] = field(default_factory=dict)
    tried: Mapping[str, int] = field(default_factory=dict)


EMPTY_PROFILE = ShopperProfile(
    np.zeros(len(CATEGORIES)), np.zeros(len(COLOUR_FAMILIES)), None, 0.0, {}
)


def _weighted_interactions(log: EventLog) -> pd.DataFrame:
    tryons = log.tryons[["shopper_id", "garment_id"]].assign(weight=1.0)
    kept = log.kept()[["shopper_id", "garment_id"]].assign(weight=PURCHASE_WEIGHT)
    both = pd.concat([tryons, kept], ignore_index=True)
    garments = log.garments[["garment_id", "category", "family", "price"]]
    return both.merge(garments, on="garment_id", how="inner")


def _share_table(frame: pd.DataFrame, column: str, names: Sequence[str]):
    """(shoppers x names) weighted shares of ``column``'s values."""
    table = frame.pivot_table(
        index="shopper_id", columns=column, values="weight", aggfunc="sum"
    )
    table = table.reindex(columns=list(names)).fillna(0.0)
    totals = table.sum(axis=1).replace(0.0, 1.0)
    return table.div(totals, axis=0)


def shopper_profiles(log: EventLog) -> dict[str, ShopperProfile]:
    """A profile for every shopper with events or measurements in ``log``."""
    frame = _weighted_interactions(log)
    measurements = log.latest_measurements()
    tried = log.tryons.groupby("shopper_id")["garment_id"].value_counts()
    tried_by_shopper: dict[str, dict[str, int]] = {}
    for (shopper, garment), count in tried.items():
        tried_by_shopper.setdefault(shopper, {})[garment] = int(count)
    profiles = {}
    if len(frame):
        categories = _share_table(frame, "category", CATEGORIES)
        families = _share_table(frame, "family", COLOUR_FAMILIES)
        frame = frame.assign(log_price=np.log(frame["price"].clip(lower=1.0)))
        frame["weighted"] = frame["log_price"] * frame["weight"]
        sums = frame.groupby("shopper_id")[["weighted", "weight"]].sum()
        for shopper, row in sums.iterrows():
            profiles[shopper] = ShopperProfile(
                category_share=categories.loc[shopper].to_numpy(),
                family_share=families.loc[shopper].to_numpy(),
                log_budget=float(row["weighted"] / row["weight"]),
                interactions=float(row["weight"]),
                measurements=measurements.get(shopper, {}),
                tried=tried_by_shopper.get(shopper, {}),
            )
    for shopper, values in measurements.items():
        if shopper not in profiles:
            profiles[shopper] = ShopperProfile(
                EMPTY_PROFILE.category_share,
                EMPTY_PROFILE.family_share,
                None,
                0.0,
                values,
            )
    return profiles


def profile_of(
    events: ShopperEvents, garments: Mapping[str, Mapping[str, Any]]
) -> ShopperProfile | None:
    """One shopper's profile, the same as :func:`shopper_profiles` gives.

    Plain Python over a few dozen events, for serving one request.

    Args:
        events: the shopper's history.
        garments: garment_id -> garment row (see ``garment_rows``).

    Returns:
        The profile, or None without any event or measurement.
    """
    weights = [(g, 1.0) for g in events.tried] + [
        (g, PURCHASE_WEIGHT) for g in events.kept
    ]
    weights = [(garments[g], w) for g, w in weights if g in garments]
    if not weights:
        if not events.measurements:
            return None
        return replace(EMPTY_PROFILE, measurements=dict(events.measurements))
    categories = np.zeros(len(CATEGORIES))
    families = np.zeros(len(COLOUR_FAMILIES))
    total = log_price = 0.0
    for garment, weight in weights:
        if garment["category"] in CATEGORIES:
            categories[CATEGORIES.index(garment["category"])] += weight
        if garment["family"] in COLOUR_FAMILIES:
            families[COLOUR_FAMILIES.index(garment["family"])] += weight
        log_price += weight * math.log(max(garment["price"], 1.0))
        total += weight
    tried: dict[str, int] = {}
    for garment_id in events.tried:
        if garment_id in garments:
            tried[garment_id] = tried.get(garment_id, 0) + 1
    return ShopperProfile(
        category_share=categories / categories.sum()
        if categories.sum()
        else categories,
        family_share=families / families.sum() if families.sum() else families,
        log_budget=log_price / total,
        interactions=total,
        measurements=dict(events.measurements),
        tried=tried,
    )


@dataclass(frozen=True)
class EncodedPairs:
    """Encoded (shopper, garment) pairs; N pairs.

    Attributes:
        ids: (N, 6) int64 embedding indices.
        wide: (N, 5) int64 indices into the crossed-feature table.
        dense: (N, DENSE_SIZE) float32.
        fits: the chart fit of each pair in the shopper's best size
            (None without measurements or chart).
    """

    ids: np.ndarray
    wide: np.ndarray
    dense: np.ndarray
    fits: list[ChartFit | None]


def _index(value: Any, names: Sequence[Any]) -> int:
    try:
        return names.index(value) + 1
    except ValueError:
        return 0


def _size_band(measurements: Mapping[str, float]) -> int:
    chest = measurements.get("chest_girth")
    if chest is None:
        return 0
    return 1 + int(np.searchsorted(SIZE_BAND_EDGES, chest, side="right"))


def _budget_band(profile: ShopperProfile, edges: Sequence[float]) -> int:
    if profile.log_budget is None:
        return 0
    return 1 + price_band(math.exp(profile.log_budget), edges)


class FeatureSpace:
    """Vocabularies and statistics fitted on a training log.

    Args:
        shopper_ids: shoppers with an embedding.
        garment_ids: garments with an embedding.
        price_edges: inner edges of the price bands.
        popularity: garment_id -> number of kept purchases in training.
    """

    def __init__(
        self,
        shopper_ids: Sequence[str],
        garment_ids: Sequence[str],
        price_edges: Sequence[float],
        popularity: Mapping[str, float],
    ) -> None:
        self.shopper_ids = list(shopper_ids)
        self.garment_ids = list(garment_ids)
        self.price_edges = list(price_edges)
        self.popularity = dict(popularity)
        self._shopper_index = {s: i + 1 for i, s in enumerate(self.shopper_ids)}
        self._garment_index = {g: i + 1 for i, g in enumerate(self.garment_ids)}
        self._fit_cache: dict[tuple, ChartFit | None] = {}

    @classmethod
    def fit(cls, log: EventLog) -> FeatureSpace:
        """The space of a training log."""
        shoppers = sorted(
            set(log.tryons["shopper_id"]) | set(log.purchases["shopper_id"])
        )
        popularity = log.kept()["garment_id"].value_counts().to_dict()
        return cls(
            shoppers,
            list(log.garments["garment_id"]),
            price_band_edges(log.garments["price"].tolist()),
            {str(k): float(v) for k, v in popularity.items()},
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-able state, for saving with the model."""
        return {
            "shopper_ids": self.shopper_ids,
            "garment_ids": self.garment_ids,
            "price_edges": self.price_edges,
            "popularity": self.popularity,
        }

    @classmethod
    def from_dict(cls, state: Mapping[str, Any]) -> FeatureSpace:
        return cls(**state)

    def knows_shopper(self, shopper_id: str) -> bool:
        return shopper_id in self._shopper_index

    def pair_fit(
        self, shopper_id: str, profile: ShopperProfile, garment: Mapping[str, Any]
    ) -> ChartFit | None:
        """Chart fit of the garment in the shopper's best size (cached)."""
        key = (shopper_id, garment["garment_id"], tuple(profile.measurements.items()))
        if key not in self._fit_cache:
            fit = None
            if profile.measurements and garment["size_chart"]:
                fit = best_size(
                    profile.measurements,
                    garment["size_chart"],
                    garment["sizes"] or list(garment["size_chart"]),
                    garment["category"],
                )
            self._fit_cache[key] = fit
        return self._fit_cache[key]

    def _dense(
        self,
        profile: ShopperProfile,
        garment: Mapping[str, Any],
        fit: ChartFit | None,
    ) -> list[float]:
        measured = [
            (profile.measurements.get(key, mean) - mean) / scale
            for key, (mean, scale) in _NORMALISE.items()
        ]
        category = _index(garment["category"], CATEGORIES)
        family = _index(garment["family"], COLOUR_FAMILIES)
        log_price = math.log(max(garment["price"], 1.0))
        over_budget = (
            0.0 if profile.log_budget is None else log_price - profile.log_budget
        )
        popularity = self.popularity.get(garment["garment_id"], 0.0)
        return [
            *measured,
            1.0 if profile.measurements else 0.0,
            *profile.category_share,
            *profile.family_share,
            profile.category_share[category - 1] if category else 0.0,
            profile.family_share[family - 1] if family else 0.0,
            over_budget,
            0.5 if fit is None else fit.score,
            math.log1p(profile.interactions),
            math.log1p(popularity),
            math.log1p(profile.tried.get(garment["garment_id"], 0)),
        ]

    def _wide(
        self,
        profile: ShopperProfile,
        garment: Mapping[str, Any],
        fit: ChartFit | None,
    ) -> list[int]:
        category = _index(garment["category"], CATEGORIES)
        family = _index(garment["family"], COLOUR_FAMILIES) - 1
        size_band = _size_band(profile.measurements)
        top_family = (
            int(np.argmax(profile.family_share)) + 1 if profile.interactions else 0
        )
        top_category = (
            int(np.argmax(profile.category_share)) + 1 if profile.interactions else 0
        )
        band = price_band(garment["price"], self.price_edges)
        label = 0 if fit is None or fit.label is None else _index(fit.label, FIT_LABELS)
        crosses = (
            category * (len(SIZE_BAND_EDGES) + 2) + size_band,
            max(family, 0) * (len(COLOUR_FAMILIES) + 1) + top_family,
            category * (len(CATEGORIES) + 1) + top_category,
            band * 5 + _budget_band(profile, self.price_edges),
            label * (len(CATEGORIES) + 1) + category,
        )
        offsets = np.cumsum((0, *_CROSS_SIZES[:-1]))
        return [
            int(offset + cross) for offset, cross in zip(offsets, crosses, strict=True)
        ]

    def encode(
        self,
        pairs: Sequence[tuple[str, str]],
        profiles: Mapping[str, ShopperProfile],
        garments: Mapping[str, Mapping[str, Any]],
    ) -> EncodedPairs:
        """Encode (shopper_id, garment_id) pairs.

        Args:
            pairs: N (shopper_id, garment_id) pairs; the garments must be
                in ``garments``.
            profiles: shopper_id -> profile; a shopper without one gets an
                empty profile.
            garments: garment_id -> garment row of an :class:`EventLog`.
        """
        ids, wide, dense, fits = [], [], [], []
        for shopper_id, garment_id in pairs:
            profile = profiles.get(shopper_id, EMPTY_PROFILE)
            garment = garments[garment_id]
            fit = self.pair_fit(shopper_id, profile, garment)
            ids.append(
                (
                    self._shopper_index.get(shopper_id, 0),
                    self._garment_index.get(garment_id, 0),
                    _index(garment["category"], CATEGORIES),
                    _index(garment["family"], COLOUR_FAMILIES),
                    price_band(garment["price"], self.price_edges) + 1,
                    _size_band(profile.measurements),
                )
            )
            wide.append(self._wide(profile, garment, fit))
            dense.append(self._dense(profile, garment, fit))
            fits.append(fit)
        return EncodedPairs(
            ids=np.asarray(ids, dtype=np.int64).reshape(-1, 6),
            wide=np.asarray(wide, dtype=np.int64).reshape(-1, 5),
            dense=np.asarray(dense, dtype=np.float32).reshape(-1, DENSE_SIZE),
            fits=fits,
        )
