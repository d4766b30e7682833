"""Regenerate the bundled garment catalog in ``assets/catalog``.

Usage: ``python -m assets.generate [--no-settle]``. Deterministic: the same
code and mannequin give the same files. Each garment is cut by
``garments.procedural`` for the canonical mannequin's proportions, fitted
onto ``tryon.body.canonical_body()`` when it is available, and written as
``catalog/<mesh_key>/`` (asset.npz, texture.png) plus one line in
``catalog/catalog.json``.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
from pathlib import Path

from garments import procedural

logger = logging.getLogger(__name__)

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"


def canonical_mannequin():
    """The canonical mannequin as a MannequinMesh, or None without tryon.body."""

    try:
        from tryon.catalog import canonical_mannequin as mannequin
    except ImportError:
        logger.warning("tryon.body is not available; assets are left unbound")
        return None
    return mannequin()


def generate(out_dir: Path, settle: bool = True) -> list[dict]:
    """Write every bundled garment into ``out_dir``; returns the records."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    mannequin = canonical_mannequin()
    records = []
    for entry in procedural.DEFAULT_CATALOG:
        proportions = None
        if mannequin is not None:
            proportions = procedural.mannequin_from_body(
                mannequin.vertices, mannequin.anchors
            )
        asset, garment = procedural.build_asset(
            entry, proportions, mannequin, settle=settle
        )
        asset.save(out_dir / garment.mesh_key)
        records.append(garment.to_record())
        logger.info("%s: %s vertices", garment.id, len(asset.vertices))
    with open(out_dir / "catalog.json", "w", encoding="utf-8") as handle:
        json.dump(records, handle, indent=1, sort_keys=True)
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-settle", action="store_true", help="skip the cloth settling step"
    )
    parser.add_argument("--out", default=str(CATALOG_DIR), help="output folder")
    args = parser.parse_args()
    logging.basicConfig(level="INFO")
    generate(Path(args.out), settle=not args.no_settle)


if __name__ == "__main__":
    main()
