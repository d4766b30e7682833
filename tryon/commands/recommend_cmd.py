"""``tryon recommend``: recommendations for a shopper, or their evaluation."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tryon.errors import InputError
from tryon.recommend.evaluate import Evaluation, evaluate
from tryon.recommend.events import load_event_log
from tryon.recommend.service import Recommender
from tryon.settings import Settings
from tryon.store import open_store

__all__ = ["run"]


def _print_evaluation(result: Evaluation) -> None:
    label = " (synthetic data)" if result.synthetic else ""
    print(
        f"offline evaluation{label}: time split at {result.cutoff:%Y-%m-%d %H:%M}, "
        f"{result.test_shoppers} test shoppers, {result.garments} garments"
    )
    names = list(result.models)
    metrics = list(result.models[names[0]])
    print(f"{'model':<26}" + "".join(f"{m:>14}" for m in metrics))
    for name in names:
        row = result.models[name]
        print(f"{name:<26}" + "".join(f"{row[m]:>14.4f}" for m in metrics))
    for note in result.notes:
        print(f"note: {note}")


def _evaluate(args: argparse.Namespace, settings: Settings) -> int:
    log = load_event_log(open_store(settings))
    if log.purchases.empty:
        raise InputError(
            "the store has no orders to evaluate on; run tryon simulate first"
        )
    try:
        result = evaluate(log, k=10)
    except ValueError as error:
        raise InputError(f"{error}; simulate more days or shoppers") from error
    _print_evaluation(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result.as_dict(), indent=1) + "\n")
    return 0


def _recommend(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings)
    recommender = Recommender(store, settings.models_dir)
    if getattr(args, "retrain", False):
        recommender.train()
    items = recommender.recommend(args.shopper, k=args.k)
    synthetic = store.has_synthetic_events()
    label = " (model trained on synthetic data)" if synthetic else ""
    print(f"recommendations for {args.shopper}{label}:")
    for rank, item in enumerate(items, start=1):
        size = item.size or "-"
        print(
            f"{rank:>2}. {item.garment_id:<28} size {size:<4} "
            f"score {item.score:.3f}  {item.explanation}"
        )
    return 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.evaluate:
        return _evaluate(args, settings)
    if not args.shopper:
        raise InputError("give a shopper id, or --evaluate for the offline evaluation")
    if args.json:
        raise InputError("--json goes with --evaluate")
    return _recommend(args, settings)
