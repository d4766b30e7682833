"""Serving recommendations: the trained model on disk, scored per request.

The model is trained on the whole event log and saved as
``wide_deep.pt`` under the models directory; a request loads the
shopper's own events and the catalog from the store (so history and
catalog changes since training count) and ranks with
:func:`tryon.recommend.ranking.score_catalog`.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from pathlib import Path

import torch

from tryon.errors import InputError
from tryon.recommend.events import garment_rows, load_event_log, load_shopper_events
from tryon.recommend.features import FeatureSpace, profile_of
from tryon.recommend.ranking import Recommendation, score_catalog, top_k
from tryon.recommend.wide_deep import (
    TrainedModel,
    TrainSettings,
    WideDeep,
    train_wide_deep,
)
from tryon.store import Store

__all__ = ["Recommender", "MODEL_FILE", "NotEnoughData"]

logger = logging.getLogger(__name__)

MODEL_FILE = "wide_deep.pt"
# Bumped whenever the features or the network change; a saved model of
# another format is retrained instead of loaded.
MODEL_FORMAT = 2


class NotEnoughData(InputError):
    """The store has no kept purchase to learn from."""


def save_model(trained: TrainedModel, path: Path) -> None:
    """Write the model, its feature space and settings to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    settings = asdict(trained.settings)
    settings["hidden"] = list(settings["hidden"])
    temporary = path.with_suffix(".tmp")
    torch.save(
        {
            "state": trained.model.state_dict(),
            "space": trained.space.to_dict(),
            "settings": settings,
            "pairs": trained.pairs,
            "positives": trained.positives,
            "seconds": trained.seconds,
            "format": MODEL_FORMAT,
        },
        temporary,
    )
    temporary.replace(path)


def load_model(path: Path) -> TrainedModel | None:
    """Read a model written by :func:`save_model` (None if of another format)."""
    saved = torch.load(path, weights_only=True)
    if saved.get("format") != MODEL_FORMAT:
        logger.info("model %s is of an older format; it will be retrained", path)
        return None
    settings = dict(saved["settings"])
    settings["hidden"] = tuple(settings["hidden"])
    settings = TrainSettings(**settings)
    space = FeatureSpace.from_dict(saved["space"])
    model = WideDeep(len(space.shopper_ids), len(space.garment_ids), settings)
    model.load_state_dict(saved["state"])
    model.eval()
    return TrainedModel(
        model, space, settings, saved["pairs"], saved["positives"], saved["seconds"]
    )


class Recommender:
    """Recommendations for shoppers from the store's events.

    Args:
        store: the event store.
        models_dir: where ``wide_deep.pt`` lives (settings.models_dir).
    """

    def __init__(self, store: Store, models_dir: Path) -> None:
        self.store = store
        self.path = Path(models_dir) / MODEL_FILE
        self._trained: TrainedModel | None = None

    def train(self, settings: TrainSettings | None = None) -> TrainedModel:
        """Train on every event in the store and save the model.

        Raises:
            NotEnoughData: no kept purchase in the store.
        """
        log = load_event_log(self.store)
        if log.kept().empty:
            raise NotEnoughData(
                "the store has no kept purchase to learn from; "
                "run tryon simulate or record orders first"
            )
        self._trained = train_wide_deep(log, settings or TrainSettings())
        save_model(self._trained, self.path)
        logger.info("saved the recommendation model to %s", self.path)
        return self._trained

    def model(self) -> TrainedModel:
        """The trained model: in memory, else from disk, else trained now."""
        if self._trained is None and self.path.exists():
            self._trained = load_model(self.path)
        if self._trained is None:
            self._trained = self.train()
        return self._trained

    def recommend(self, shopper_id: str, k: int = 10) -> list[Recommendation]:
        """The ``k`` best garments for a shopper, each with its explanation.

        Garments the shopper bought and kept are left out. A shopper
        without history gets the cold-start ranking (popularity, fit).

        Raises:
            InputError: ``k`` is below 1.
        """
        if k < 1:
            raise InputError(f"--k must be 1 or more, got {k}")
        trained = self.model()
        garments = garment_rows(self.store)
        events = load_shopper_events(self.store, shopper_id)
        profile = profile_of(events, {g["garment_id"]: g for g in garments})
        scored = score_catalog(trained, shopper_id, profile, garments)
        return top_k(scored, profile, garments, k, exclude=set(events.kept))
