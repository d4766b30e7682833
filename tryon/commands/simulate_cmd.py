"""``tryon simulate``: write synthetic (labelled) shopper traffic to the store."""

from __future__ import annotations

import argparse
import importlib
import logging

from tryon.errors import InputError
from tryon.settings import Settings
from tryon.simulate import simulate
from tryon.store import Store, open_store

__all__ = ["run"]

logger = logging.getLogger(__name__)


def ensure_garments(store: Store, settings: Settings) -> None:
    """Seed an empty catalog with the bundled garments, if the catalog can.

    Raises:
        InputError: the catalog is empty and cannot be seeded.
    """
    if store.list_garments():
        return
    try:
        catalog = importlib.import_module("tryon.catalog")
        catalog.Catalog(settings).ensure_default_catalog()
    except (ImportError, AttributeError) as error:
        logger.debug("no bundled catalog to seed", exc_info=True)
        raise InputError(
            "the catalog is empty; import garments (tryon garments import) "
            "before running tryon simulate"
        ) from error
    if not store.list_garments():
        raise InputError(
            "the catalog is empty; import garments (tryon garments import) "
            "before running tryon simulate"
        )


def run(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings)
    ensure_garments(store, settings)
    summary = simulate(store, shoppers=args.shoppers, days=args.days, seed=args.seed)
    print(
        f"synthetic traffic written (run {summary.run_id}, seed {args.seed}, "
        f"{summary.start:%Y-%m-%d} to {summary.end:%Y-%m-%d}): "
        f"{summary.shoppers} shoppers, {summary.tryons} try-ons, "
        f"{summary.orders} orders, {summary.returns} returns"
    )
    print("all of these events are flagged synthetic=True in the store")
    return 0
