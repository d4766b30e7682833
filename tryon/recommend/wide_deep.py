"""The Wide & Deep model: a linear model over crossed features plus an MLP.

The wide part memorises combinations (category x size band, colour x
the shopper's favourite colour, ...); the deep part generalises through
embeddings of shopper, garment, category, colour family, price band and
size band, concatenated with the dense features of
:mod:`tryon.recommend.features`. Their logits are summed.

Training data from a log (:func:`training_pairs`): kept purchases are
positives; returned purchases, try-ons without a purchase of the same
garment and randomly sampled garments the shopper never touched are
negatives.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from tryon.recommend.events import EventLog
from tryon.recommend.features import (
    DENSE_SIZE,
    WIDE_SIZE,
    EncodedPairs,
    FeatureSpace,
    shopper_profiles,
)
from tryon.recommend.garment_features import COLOUR_FAMILIES, PRICE_BANDS
from tryon.store.vocab import CATEGORIES

__all__ = [
    "WideDeep",
    "TrainSettings",
    "TrainedModel",
    "training_pairs",
    "train_wide_deep",
    "one_thread",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainSettings:
    """How the model is trained.

    Attributes:
        negatives_per_positive: random garments sampled per kept purchase.
        epochs: passes over the training pairs.
        batch_size: pairs per step.
        learning_rate: Adam's step size.
        weight_decay: L2 penalty of Adam.
        embedding_dim: size of the shopper and garment embeddings.
        hidden: widths of the MLP's hidden layers.
        seed: seed of sampling, initialisation and shuffling.
    """

    negatives_per_positive: int = 4
    epochs: int = 12
    batch_size: int = 256
    learning_rate: float = 3e-3
    weight_decay: float = 1e-5
    embedding_dim: int = 16
    hidden: tuple[int, ...] = (64, 32)
    seed: int = 0


class WideDeep(nn.Module):
    """Wide (crossed features) plus deep (embeddings + MLP) logit.

    Args:
        shoppers: number of known shoppers (index 0 is "unknown").
        garments: number of known garments (index 0 is "unknown").
        settings: sizes of the embeddings and hidden layers.
    """

    def __init__(self, shoppers: int, garments: int, settings: TrainSettings) -> None:
        super().__init__()
        dim = settings.embedding_dim
        self.wide = nn.Embedding(WIDE_SIZE, 1)
        nn.init.zeros_(self.wide.weight)
        self.embeddings = nn.ModuleList(
            [
                nn.Embedding(shoppers + 1, dim),
                nn.Embedding(garments + 1, dim),
                nn.Embedding(len(CATEGORIES) + 1, 4),
                nn.Embedding(len(COLOUR_FAMILIES) + 1, 4),
                nn.Embedding(PRICE_BANDS + 1, 3),
                nn.Embedding(6, 3),
            ]
        )
        width = 2 * dim + 4 + 4 + 3 + 3 + DENSE_SIZE
        layers: list[nn.Module] = []
        for hidden in settings.hidden:
            layers += [nn.Linear(width, hidden), nn.ReLU(), nn.Dropout(0.1)]
            width = hidden
        layers.append(nn.Linear(width, 1))
        self.mlp = nn.Sequential(*layers)

    def forward(
        self, ids: torch.Tensor, wide: torch.Tensor, dense: torch.Tensor
    ) -> torch.Tensor:
        """Logits of N pairs.

        Args:
            ids: (N, 6) int64 embedding indices.
            wide: (N, 5) int64 crossed-feature indices.
            dense: (N, DENSE_SIZE) float32.

        Returns:
            (N,) float32 logits of a kept purchase.
        """
        embedded = [table(ids[:, i]) for i, table in enumerate(self.embeddings)]
        deep = self.mlp(torch.cat([*embedded, dense], dim=1)).squeeze(1)  # (N,)
        return self.wide(wide).sum(dim=(1, 2)) + deep


def training_pairs(
    log: EventLog, negatives_per_positive: int, rng: np.random.Generator
) -> tuple[list[tuple[str, str]], np.ndarray]:
    """Labelled (shopper, garment) pairs of a log.

    Returns:
        The pairs and their (N,) float32 labels (1 = kept purchase).
    """
    garment_ids = np.asarray(log.garments["garment_id"])
    labels: dict[tuple[str, str], float] = {}
    for pair in zip(log.tryons["shopper_id"], log.tryons["garment_id"], strict=True):
        labels.setdefault(pair, 0.0)
    purchases = log.purchases
    for shopper, garment, returned in zip(
        purchases["shopper_id"],
        purchases["garment_id"],
        purchases["returned_at"],
        strict=True,
    ):
        kept = returned is None or returned != returned  # NaT is not equal to itself
        if kept:
            labels[(shopper, garment)] = 1.0
        else:
            labels.setdefault((shopper, garment), 0.0)
    touched: dict[str, set[str]] = {}
    for shopper, garment in labels:
        touched.setdefault(shopper, set()).add(garment)
    positives = [pair for pair, label in labels.items() if label == 1.0]
    for shopper, _ in positives:
        draws = rng.choice(garment_ids, size=negatives_per_positive)
        for garment in draws:
            if garment not in touched[shopper]:
                labels.setdefault((shopper, str(garment)), 0.0)
    pairs = [pair for pair in labels if pair[1] in set(garment_ids)]
    return pairs, np.asarray([labels[p] for p in pairs], dtype=np.float32)


@dataclass(frozen=True)
class TrainedModel:
    """A trained model with its feature space.

    Attributes:
        model: the network, in eval mode.
        space: the feature space it was trained with.
        settings: the training settings.
        pairs: number of training pairs.
        positives: number of positive pairs.
        seconds: training time.
    """

    model: WideDeep
    space: FeatureSpace
    settings: TrainSettings
    pairs: int
    positives: int
    seconds: float

    def logits(self, encoded: EncodedPairs) -> np.ndarray:
        """(N,) logits of encoded pairs."""
        with torch.no_grad(), one_thread():
            out = self.model(
                torch.from_numpy(encoded.ids),
                torch.from_numpy(encoded.wide),
                torch.from_numpy(encoded.dense),
            )
        return out.numpy()


def _batches(count: int, size: int, generator: torch.Generator):
    order = torch.randperm(count, generator=generator)
    for start in range(0, count, size):
        yield order[start : start + size]


@contextmanager
def one_thread() -> Iterator[None]:
    """Run torch on one thread inside the block.

    The model is small: on a shared two-core machine, torch's own thread
    pool costs more in contention than it gains.
    """
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def train_wide_deep(
    log: EventLog, settings: TrainSettings = TrainSettings()
) -> TrainedModel:
    """Fit a :class:`WideDeep` on a log.

    Raises:
        ValueError: the log has no kept purchase to learn from.
    """
    with one_thread():
        return _train(log, settings)


def _train(log: EventLog, settings: TrainSettings) -> TrainedModel:
    started = time.perf_counter()
    rng = np.random.default_rng(settings.seed)
    torch.manual_seed(settings.seed)
    space = FeatureSpace.fit(log)
    pairs, labels = training_pairs(log, settings.negatives_per_positive, rng)
    if not labels.any():
        raise ValueError("the event log has no kept purchase to learn from")
    garments = _garment_rows(log)
    encoded = space.encode(pairs, shopper_profiles(log), garments)
    ids, wide = torch.from_numpy(encoded.ids), torch.from_numpy(encoded.wide)
    dense, target = torch.from_numpy(encoded.dense), torch.from_numpy(labels)
    model = WideDeep(len(space.shopper_ids), len(space.garment_ids), settings)
    optimiser = torch.optim.Adam(
        model.parameters(),
        lr=settings.learning_rate,
        weight_decay=settings.weight_decay,
    )
    loss_fn = nn.BCEWithLogitsLoss()
    generator = torch.Generator().manual_seed(settings.seed)
    model.train()
    for _ in range(settings.epochs):
        for batch in _batches(len(pairs), settings.batch_size, generator):
            optimiser.zero_grad()
            loss = loss_fn(model(ids[batch], wide[batch], dense[batch]), target[batch])
            loss.backward()
            optimiser.step()
    model.eval()
    seconds = time.perf_counter() - started
    logger.info(
        "trained Wide & Deep on %d pairs (%d positive) in %.1f s",
        len(pairs),
        int(labels.sum()),
        seconds,
    )
    return TrainedModel(model, space, settings, len(pairs), int(labels.sum()), seconds)


def _garment_rows(log: EventLog) -> dict[str, Mapping]:
    return {row["garment_id"]: row for row in log.garments.to_dict("records")}
