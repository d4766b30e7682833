"""``tryon pose``: landmarks, mask and measurements of the person in a photo."""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from tryon.errors import InputError
from tryon.settings import Settings

if TYPE_CHECKING:
    import numpy as np

    from pose import PoseResult

logger = logging.getLogger(__name__)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Find the person in ``args.photo``; print a summary, write the files."""
    import pose

    height_cm = _checked_height(args.height_cm)
    for output in (args.out, args.json):
        if output:
            _check_parent(Path(output))
    image = pose.load_image(args.photo)
    with pose.PoseEstimator() as estimator:
        result = estimator.estimate(image, height_cm=height_cm)
    if args.out:
        _write_annotated(Path(args.out), pose.draw_landmarks(image.rgb, result))
    if args.json:
        _write_json(Path(args.json), pose_document(result))
    print(summary(result, Path(args.photo).name))
    return 0


def _checked_height(height_cm: float | None) -> float | None:
    from pose import HEIGHT_RANGE_CM

    low, high = HEIGHT_RANGE_CM
    if height_cm is not None and not low <= height_cm <= high:
        raise InputError(
            f"--height-cm {height_cm:g} is not a human height; give it in "
            f"centimetres, between {low:.0f} and {high:.0f}"
        )
    return height_cm


def pose_document(result: PoseResult) -> dict[str, object]:
    """The JSON-able content of POSE.json for a ``pose.PoseResult``."""
    import pose

    width, height = result.image_size
    return {
        "image": {"width": width, "height": height},
        "landmark_names": [landmark.name.lower() for landmark in pose.Landmark],
        "landmarks_px": [
            [round(float(v), 2) for v in row] for row in result.landmarks_px
        ],
        "world_landmarks_m": [
            [round(float(v), 4) for v in row] for row in result.world_landmarks
        ],
        "measurements_cm": dict(result.measurements.values_cm),
        "measurement_methods": dict(result.measurements.methods),
        "timings_ms": {k: round(v, 1) for k, v in result.timings_ms.items()},
    }


def summary(result: PoseResult, name: str) -> str:
    """A few lines for people: who was found and their measurements."""
    width, height = result.image_size
    lines = [f"{name}: one person found ({width}x{height} px)"]
    for key, value in result.measurements.values_cm.items():
        lines.append(f"  {key.replace('_', ' '):<15} {value:6.1f} cm")
    if result.measurements.methods["height"] != "given by the user":
        lines.append(
            "  (height not given: a typical adult's assumed; pass --height-cm)"
        )
    return "\n".join(lines)


def _write_annotated(path: Path, picture: np.ndarray) -> None:
    from PIL import Image

    Image.fromarray(picture).save(path, format="PNG")
    logger.info("annotated photo written to %s", path)


def _write_json(path: Path, document: dict[str, object]) -> None:
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    logger.info("pose written to %s", path)


def _check_parent(path: Path) -> None:
    if not path.parent.is_dir():
        raise InputError(
            f"folder {path.parent} does not exist; create it or choose another path"
        )
