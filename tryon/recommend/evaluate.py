"""Offline evaluation of the recommenders on a time split of the event log.

Everything before the cutoff (by default 80 % of the way from the first
to the last event) trains the models; the garments each shopper bought
and kept after the cutoff are the relevant items. For every shopper with
at least one such garment each model ranks the catalog minus the
garments the shopper had already bought and kept before the cutoff;
HitRate@k is the share of shoppers with a relevant garment in the top
k, NDCG@k the normalised discounted cumulative gain with binary
relevance. Returns that happen after the cutoff are unknown to the
models (they see the log as it was at the cutoff).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from tryon.recommend.baselines import CoOccurrence, ImplicitALS, Popularity
from tryon.recommend.events import EventLog
from tryon.recommend.features import shopper_profiles
from tryon.recommend.ranking import score_catalog
from tryon.recommend.wide_deep import TrainSettings, train_wide_deep

__all__ = ["Evaluation", "evaluate", "hit_and_ndcg", "time_cutoff"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Evaluation:
    """Metrics of each model on one time split.

    Attributes:
        models: name -> {"hit_rate@10": x, "ndcg@10": y} (k as asked).
        cutoff: the split time (naive UTC).
        test_shoppers: shoppers evaluated.
        garments: catalog size ranked.
        synthetic: whether the log holds synthetic events.
        notes: what was left out and why.
    """

    models: dict[str, dict[str, float]]
    cutoff: datetime
    test_shoppers: int
    garments: int
    synthetic: bool
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {
            "models": self.models,
            "cutoff": self.cutoff.isoformat(),
            "test_shoppers": self.test_shoppers,
            "garments": self.garments,
            "synthetic": self.synthetic,
            "notes": list(self.notes),
        }


def time_cutoff(log: EventLog, fraction: float = 0.8) -> datetime:
    """The time ``fraction`` of the way from the first to the last event."""
    times = pd.concat([log.tryons["created_at"], log.purchases["created_at"]])
    first, last = times.min(), times.max()
    return (first + (last - first) * fraction).to_pydatetime()


def hit_and_ndcg(ranked: list[str], relevant: set[str], k: int) -> tuple[float, float]:
    """HitRate and NDCG of one ranked list at ``k``."""
    gains = [
        1.0 / math.log2(rank + 2)
        for rank, garment in enumerate(ranked[:k])
        if garment in relevant
    ]
    ideal = sum(1.0 / math.log2(rank + 2) for rank in range(min(len(relevant), k)))
    return (1.0 if gains else 0.0), (sum(gains) / ideal if ideal else 0.0)


def _ranked(scores: np.ndarray, garment_ids: list[str], exclude: set[str]) -> list[str]:
    order = np.argsort(-scores, kind="stable")
    return [garment_ids[i] for i in order if garment_ids[i] not in exclude]


def _model_scorers(train: EventLog, seed: int) -> tuple[dict[str, Callable], list[str]]:
    notes: list[str] = []
    scorers: dict[str, Callable] = {}
    trained = train_wide_deep(train, TrainSettings(seed=seed))
    profiles = shopper_profiles(train)
    garments = train.garments.to_dict("records")

    def wide_deep(shopper: str, fit_aware: bool = True) -> np.ndarray:
        profile = profiles.get(shopper)
        return score_catalog(
            trained, shopper, profile, garments, fit_aware=fit_aware
        ).scores

    scorers["wide_deep"] = wide_deep
    scorers["wide_deep_no_fit_rerank"] = lambda s: wide_deep(s, fit_aware=False)
    baselines = [Popularity(), CoOccurrence()]
    if ImplicitALS.available():
        baselines.append(ImplicitALS(seed=seed))
    else:
        notes.append("implicit_als skipped: the implicit package is not installed")
    for baseline in baselines:
        scorers[baseline.name] = baseline.fit(train).scores
    return scorers, notes


def evaluate(
    log: EventLog, *, k: int = 10, fraction: float = 0.8, seed: int = 0
) -> Evaluation:
    """Train on the log before the cutoff, test on kept purchases after it.

    Raises:
        ValueError: no shopper kept a purchase after the cutoff.
    """
    cutoff = time_cutoff(log, fraction)
    train = log.before(cutoff)
    kept = log.kept()
    test = kept[kept["created_at"] >= cutoff]
    relevant = test.groupby("shopper_id")["garment_id"].agg(set).to_dict()
    if not relevant:
        raise ValueError("no shopper kept a purchase after the cutoff; nothing to test")
    owned = train.kept().groupby("shopper_id")["garment_id"].agg(set).to_dict()
    garment_ids = list(train.garments["garment_id"])
    scorers, notes = _model_scorers(train, seed)
    if len(garment_ids) <= 2 * k:
        notes.append(
            f"the catalog has only {len(garment_ids)} garments: HitRate@{k} and "
            f"NDCG@{k} say little about ranking quality"
        )
    models = {}
    for name, scores in scorers.items():
        hits, gains = [], []
        for shopper, items in relevant.items():
            ranked = _ranked(scores(shopper), garment_ids, owned.get(shopper, set()))
            hit, gain = hit_and_ndcg(ranked, items, k)
            hits.append(hit)
            gains.append(gain)
        models[name] = {
            f"hit_rate@{k}": round(float(np.mean(hits)), 4),
            f"ndcg@{k}": round(float(np.mean(gains)), 4),
        }
        logger.info("evaluation %s: %s", name, models[name])
    return Evaluation(
        models=models,
        cutoff=cutoff,
        test_shoppers=len(relevant),
        garments=len(garment_ids),
        synthetic=log.synthetic,
        notes=tuple(notes),
    )
