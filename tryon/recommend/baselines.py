"""Baseline recommenders for the offline evaluation.

Each has ``fit(log)`` and ``scores(shopper_id) -> (G,)`` over the
garments of the log it was fitted on, in catalog order.

- :class:`Popularity`: kept purchases in training (try-ons break ties).
- :class:`CoOccurrence`: item-to-item counts of garments shoppers
  touched (tried on or bought) together, summed over the shopper's own
  garments; popularity for shoppers with no history.
- :class:`ImplicitALS`: implicit's alternating least squares on the
  shopper x garment matrix (try-on 1, kept purchase 3, confidence 10 x that); needs the
  optional ``implicit`` package.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from tryon.recommend.events import EventLog
from tryon.recommend.features import PURCHASE_WEIGHT

__all__ = ["Popularity", "CoOccurrence", "ImplicitALS", "interaction_matrix"]

logger = logging.getLogger(__name__)


def interaction_matrix(log: EventLog) -> tuple[list[str], np.ndarray]:
    """Shoppers and their (S, G) weighted interaction counts with the garments."""
    garment_ids = list(log.garments["garment_id"])
    column = {g: i for i, g in enumerate(garment_ids)}
    tryons = log.tryons[["shopper_id", "garment_id"]].assign(weight=1.0)
    kept = log.kept()[["shopper_id", "garment_id"]].assign(weight=PURCHASE_WEIGHT)
    both = pd.concat([tryons, kept], ignore_index=True)
    both = both[both["garment_id"].isin(column)]
    shoppers = sorted(both["shopper_id"].unique())
    row = {s: i for i, s in enumerate(shoppers)}
    matrix = np.zeros((len(shoppers), len(garment_ids)), dtype=np.float32)
    np.add.at(
        matrix,
        (
            both["shopper_id"].map(row).to_numpy(),
            both["garment_id"].map(column).to_numpy(),
        ),
        both["weight"].to_numpy(dtype=np.float32),
    )
    return shoppers, matrix


class Popularity:
    """Most kept purchases first; try-ons break ties."""

    name = "popularity"

    def fit(self, log: EventLog) -> Popularity:
        garment_ids = list(log.garments["garment_id"])
        kept = log.kept()["garment_id"].value_counts()
        tried = log.tryons["garment_id"].value_counts()
        self._scores = np.array(
            [kept.get(g, 0) + 1e-3 * tried.get(g, 0) for g in garment_ids], float
        )
        return self

    def scores(self, shopper_id: str) -> np.ndarray:
        return self._scores


class CoOccurrence:
    """Garments touched together with the shopper's own garments."""

    name = "cooccurrence"

    def fit(self, log: EventLog) -> CoOccurrence:
        shoppers, matrix = interaction_matrix(log)
        touched = (matrix > 0).astype(np.float32)  # (S, G)
        self._together = touched.T @ touched  # (G, G)
        np.fill_diagonal(self._together, 0.0)
        self._rows = {s: touched[i] for i, s in enumerate(shoppers)}
        self._popularity = Popularity().fit(log)
        return self

    def scores(self, shopper_id: str) -> np.ndarray:
        popularity = self._popularity.scores(shopper_id)
        tie_break = 1e-6 * popularity / max(popularity.max(), 1e-9)
        row = self._rows.get(shopper_id)
        if row is None:
            return popularity
        return row @ self._together + tie_break


class ImplicitALS:
    """implicit's ALS matrix factorisation (confidence 10 x weight)."""

    name = "implicit_als"

    def __init__(self, factors: int = 32, iterations: int = 15, seed: int = 0) -> None:
        self.factors = factors
        self.iterations = iterations
        self.seed = seed

    @staticmethod
    def available() -> bool:
        try:
            import implicit  # noqa: F401
        except ImportError:
            return False
        return True

    def fit(self, log: EventLog) -> ImplicitALS:
        from implicit.cpu.als import AlternatingLeastSquares
        from scipy.sparse import csr_matrix
        from threadpoolctl import threadpool_limits

        shoppers, matrix = interaction_matrix(log)
        # implicit wants BLAS on one thread (it threads the work itself).
        with threadpool_limits(1, "blas"):
            model = AlternatingLeastSquares(
                factors=self.factors,
                iterations=self.iterations,
                regularization=0.05,
                random_state=self.seed,
                num_threads=1,
            )
            # Non-zero entries are the confidences; zeros stay unobserved.
            model.fit(csr_matrix(10.0 * matrix), show_progress=False)
        self._user = {s: model.user_factors[i] for i, s in enumerate(shoppers)}
        self._items = np.asarray(model.item_factors)  # (G, factors)
        self._popularity = Popularity().fit(log)
        return self

    def scores(self, shopper_id: str) -> np.ndarray:
        user = self._user.get(shopper_id)
        if user is None:
            return self._popularity.scores(shopper_id)
        return self._items @ np.asarray(user)
