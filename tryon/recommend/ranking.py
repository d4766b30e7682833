"""Fit-aware ranking with Wide & Deep, cold start, and explanations.

Scores of a shopper over the catalog:

- a shopper with no history (cold start): garment popularity in
  training, scaled to 0..1;
- a shopper with history the model was not trained on: half the
  model's probability, half the content similarity (category and colour
  family) of the garment to that history;
- a known shopper: the model's probability of a kept purchase.

Then the fit re-ranking: the chart-based fit of the garment in the
shopper's best size multiplies the score by :data:`FIT_PENALTY` of its
label (a garment too tight even in its largest size drops). The
explanation says why an item sits where it does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tryon.recommend.chart_fit import ChartFit
from tryon.recommend.features import EMPTY_PROFILE, ShopperProfile
from tryon.recommend.garment_features import COLOUR_FAMILIES
from tryon.recommend.wide_deep import TrainedModel
from tryon.store.vocab import CATEGORIES

__all__ = [
    "Recommendation",
    "FIT_PENALTY",
    "score_catalog",
    "explain",
    "top_k",
]

FIT_PENALTY = {
    "too tight": 0.4,
    "too loose": 0.5,
    "snug": 0.95,
    "relaxed": 0.97,
    "good": 1.0,
}


@dataclass(frozen=True)
class Recommendation:
    """One recommended garment.

    Attributes:
        garment_id: the garment.
        name: its display name.
        score: ranking score (higher first), 0..1.
        size: the shopper's best size by the size chart, or None.
        fit_label: the chart-based fit in that size, or None.
        explanation: one sentence on why it is here and where.
    """

    garment_id: str
    name: str
    score: float
    size: str | None
    fit_label: str | None
    explanation: str


@dataclass(frozen=True)
class CatalogScores:
    """Scores of every garment for one shopper (G garments).

    Attributes:
        garment_ids: the G garments, in catalog order.
        model_scores: (G,) scores before the fit re-ranking.
        scores: (G,) scores after it.
        fits: the chart fit of each garment in the best size, or None.
        mode: "wide_deep", "cold_start" or "content_blend".
    """

    garment_ids: list[str]
    model_scores: np.ndarray
    scores: np.ndarray
    fits: list[ChartFit | None]
    mode: str


def _content_vector(category: str, family: str) -> np.ndarray:
    vector = np.zeros(len(CATEGORIES) + len(COLOUR_FAMILIES))
    if category in CATEGORIES:
        vector[CATEGORIES.index(category)] = 1.0
    if family in COLOUR_FAMILIES:
        vector[len(CATEGORIES) + COLOUR_FAMILIES.index(family)] = 1.0
    return vector


def _content_similarity(
    profile: ShopperProfile, garments: Sequence[Mapping[str, Any]]
) -> np.ndarray:
    taste = np.concatenate([profile.category_share, profile.family_share])
    norm = np.linalg.norm(taste)
    vectors = np.stack([_content_vector(g["category"], g["family"]) for g in garments])
    return vectors @ taste / (norm * np.sqrt(2.0) + 1e-9)


def _popularity(trained: TrainedModel, garment_ids: Sequence[str]) -> np.ndarray:
    counts = np.array([trained.space.popularity.get(g, 0.0) for g in garment_ids])
    return counts / counts.max() if counts.max() > 0 else counts


def score_catalog(
    trained: TrainedModel,
    shopper_id: str,
    profile: ShopperProfile | None,
    garments: Sequence[Mapping[str, Any]],
    *,
    fit_aware: bool = True,
) -> CatalogScores:
    """Score every garment for a shopper (module docstring).

    Args:
        trained: the trained model and its feature space.
        shopper_id: the shopper.
        profile: the shopper's profile now, or None for no history.
        garments: garment rows (an :class:`EventLog`'s ``garments``).
        fit_aware: apply the fit re-ranking.
    """
    profile = profile or EMPTY_PROFILE
    garment_ids = [g["garment_id"] for g in garments]
    by_id = {g["garment_id"]: g for g in garments}
    pairs = [(shopper_id, g) for g in garment_ids]
    encoded = trained.space.encode(pairs, {shopper_id: profile}, by_id)
    if profile.interactions == 0:
        mode, scores = "cold_start", _popularity(trained, garment_ids)
    else:
        probability = 1.0 / (1.0 + np.exp(-trained.logits(encoded)))
        if trained.space.knows_shopper(shopper_id):
            mode, scores = "wide_deep", probability
        else:
            similarity = _content_similarity(profile, garments)
            mode, scores = "content_blend", 0.5 * probability + 0.5 * similarity
    penalties = np.array(
        [
            FIT_PENALTY.get(fit.label, 1.0) if fit_aware and fit and fit.label else 1.0
            for fit in encoded.fits
        ]
    )
    return CatalogScores(garment_ids, scores, scores * penalties, encoded.fits, mode)


_PLURAL = {
    "top": "tops",
    "bottom": "bottoms",
    "dress": "dresses",
    "outerwear": "outerwear",
}
_REGION_NAMES = {"chest": "chest", "waist": "waist", "hip": "hips"}


def _fit_warning(fit: ChartFit | None) -> str | None:
    """What the chart says is wrong with the best size, or None."""
    if fit is None or fit.label in (None, "good"):
        return None
    tight = fit.label in ("too tight", "snug")
    pick = min if tight else max
    region = _REGION_NAMES.get(pick(fit.deviation_cm, key=fit.deviation_cm.get), "body")
    strong = fit.label in ("too tight", "too loose")
    how = ("likely too " if strong else "may be ") + ("tight" if tight else "loose")
    if fit.label == "snug":
        how = "may be snug"
    where = f"{how} at the {region} in your size ({fit.size})"
    return f"ranked lower: {where}" if strong else where


def _taste_reasons(
    profile: ShopperProfile, garment: Mapping[str, Any], mode: str
) -> list[str]:
    if mode == "cold_start":
        return ["popular with shoppers"]
    reasons = []
    category, family = garment["category"], garment["family"]
    if category in CATEGORIES:
        if profile.category_share[CATEGORIES.index(category)] >= 0.3:
            reasons.append(f"you often look at {_PLURAL[category]}")
    if family in COLOUR_FAMILIES:
        if profile.family_share[COLOUR_FAMILIES.index(family)] >= 0.3:
            reasons.append(f"in a colour you like ({family})")
    return reasons


def explain(
    fit: ChartFit | None,
    profile: ShopperProfile,
    garment: Mapping[str, Any],
    mode: str,
) -> str:
    """One sentence on why a garment is ranked where it is.

    A garment whose best size is too tight or too loose says so first
    ("ranked lower: likely too tight at the chest in your size (M)");
    otherwise the reasons for it come first and a milder fit warning
    last.
    """
    warning = _fit_warning(fit)
    if warning is not None and warning.startswith("ranked lower"):
        return warning
    reasons = _taste_reasons(profile, garment, mode)
    if fit is not None and warning is None:
        reasons.insert(0, f"fits you well in size {fit.size}")
    if not reasons:
        reasons.append("popular with shoppers like you")
    if warning is not None:
        reasons.append(warning)
    return "; ".join(reasons)


def top_k(
    scored: CatalogScores,
    profile: ShopperProfile | None,
    garments: Sequence[Mapping[str, Any]],
    k: int,
    exclude: set[str] = frozenset(),
) -> list[Recommendation]:
    """The ``k`` best garments (minus ``exclude``), explained."""
    profile = profile or EMPTY_PROFILE
    by_id = {g["garment_id"]: g for g in garments}
    order = np.argsort(-scored.scores, kind="stable")
    picked = []
    for index in order:
        garment_id = scored.garment_ids[index]
        if garment_id in exclude:
            continue
        garment, fit = by_id[garment_id], scored.fits[index]
        picked.append(
            Recommendation(
                garment_id=garment_id,
                name=str(garment["name"]),
                score=float(scored.scores[index]),
                size=None if fit is None else fit.size,
                fit_label=None if fit is None else fit.label,
                explanation=explain(fit, profile, garment, scored.mode),
            )
        )
        if len(picked) == k:
            break
    return picked
