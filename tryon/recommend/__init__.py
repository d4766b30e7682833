"""Recommendations: a fit-aware Wide & Deep model over the event log.

The torch-based parts are imported when first used, so that the chart
fit (used by ``tryon simulate``) imports quickly.
"""

from __future__ import annotations

import importlib
from typing import Any

from tryon.recommend.chart_fit import ChartFit, best_size, chart_fit, ease_label
from tryon.recommend.garment_features import COLOUR_FAMILIES, colour_family

__all__ = [
    "ChartFit",
    "best_size",
    "chart_fit",
    "ease_label",
    "COLOUR_FAMILIES",
    "colour_family",
    "EventLog",
    "load_event_log",
    "Recommendation",
    "Recommender",
    "NotEnoughData",
    "TrainSettings",
    "train_wide_deep",
    "Evaluation",
    "evaluate",
]

_LAZY = {
    "EventLog": "tryon.recommend.events",
    "load_event_log": "tryon.recommend.events",
    "Recommendation": "tryon.recommend.ranking",
    "Recommender": "tryon.recommend.service",
    "NotEnoughData": "tryon.recommend.service",
    "TrainSettings": "tryon.recommend.wide_deep",
    "train_wide_deep": "tryon.recommend.wide_deep",
    "Evaluation": "tryon.recommend.evaluate",
    "evaluate": "tryon.recommend.evaluate",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tryon.recommend' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
