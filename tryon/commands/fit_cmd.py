"""``tryon fit``: one photo try-on to a picture, a report and a mask."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from PIL import Image

from tryon.errors import InputError
from tryon.settings import Settings


def _save_png(path: str, pixels: np.ndarray) -> None:
    target = Path(path)
    if target.suffix.lower() != ".png":
        raise InputError(f"{path} must be a .png file")
    target.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels).save(target)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from tryon.pipeline import TryOnSession

    if args.height_cm is not None and not 100 <= args.height_cm <= 250:
        raise InputError(
            f"--height-cm must be between 100 and 250, got {args.height_cm:g}"
        )
    session = TryOnSession(settings)
    try:
        result = session.try_on(
            args.photo,
            args.garment,
            size=args.size,
            height_cm=args.height_cm,
            fit_map=bool(args.fit_map),
        )
    finally:
        session.close()
    _save_png(args.out, result.picture)
    if args.mask:
        _save_png(args.mask, result.garment_mask)
    if args.fit_map:
        _save_png(args.fit_map, result.fit_map)
    if args.report:
        Path(args.report).write_text(json.dumps(result.report, indent=2))
    fit = result.report["fit"]
    print(
        f"{result.report['garment']['name']} size {result.report['garment']['size']}:"
        f" fit score {fit['score']:.2f}. {fit['summary']}"
    )
    return 0
