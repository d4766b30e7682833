"""Placing an imported garment on the canonical mannequin.

Tops and dresses hang from the neck, bottoms from the waist; the height
near that anchor that goes least into the body is kept, and trouser legs
are moved sideways onto the mannequin's legs.
"""

from __future__ import annotations

import numpy as np

from garments.grading import anchor_height
from garments.importer.fitting import MannequinMesh, penetration_ratio
from garments.importer.geometry import moving_average

__all__ = ["align_legs", "place_on_mannequin"]

# Heights tried around the anchor when placing a garment, metres.
PLACEMENT_DROPS = (0.02, 0.0, -0.02, -0.04, -0.06)

# Leg alignment: slice half-height, fade-in below the crotch, and how far
# out from the middle body points count as legs (not hands), metres.
LEG_SLICE = 0.01
LEG_FADE = 0.12
LEG_REACH = 0.3
LEG_SMOOTHING = 9


def place_on_mannequin(
    vertices: np.ndarray, category: str, mannequin: MannequinMesh
) -> np.ndarray:
    """Move a garment onto the mannequin by its category's anchor."""
    body = np.asarray(mannequin.vertices)
    if category == "bottom":
        anchor = anchor_height(mannequin.anchors, "waist")
        reference = anchor_height(mannequin.anchors, "hips")
        top = (anchor if anchor is not None else 0.15) + 0.02
    else:
        anchor = anchor_height(mannequin.anchors, "neck")
        reference = anchor_height(mannequin.anchors, "chest")
        top = (anchor if anchor is not None else 0.55) + 0.01
    reference = reference if reference is not None else 0.0
    slice_ = body[np.abs(body[:, 1] - reference) < 0.02]
    slice_ = slice_[np.abs(slice_[:, 0]) < 0.25] if len(slice_) else body
    centre_z = (slice_[:, 2].min() + slice_[:, 2].max()) / 2
    low, high = vertices.min(axis=0), vertices.max(axis=0)
    shift = np.array(
        [-(low[0] + high[0]) / 2, top - high[1], centre_z - (low[2] + high[2]) / 2]
    )
    placed = vertices + shift
    if category == "bottom":
        placed = align_legs(placed, body, anchor_height(mannequin.anchors, "crotch"))
    # The garment's own rise or shoulder line may differ from the
    # mannequin's: take the height, near the anchor, that goes least into
    # the body (the highest among equals).
    inside = [
        penetration_ratio(placed + [0.0, drop, 0.0], mannequin)
        for drop in PLACEMENT_DROPS
    ]
    best = PLACEMENT_DROPS[int(np.argmin(inside))]
    return placed + [0.0, best, 0.0]


def _side_centres(
    points: np.ndarray, side: float, levels: np.ndarray, reach: float
) -> np.ndarray:
    """x of the middle of one side's slice at each level (NaN where empty)."""
    centres = np.full(len(levels), np.nan)
    half = points[(side * points[:, 0] > 0) & (np.abs(points[:, 0]) < reach)]
    for k, level in enumerate(levels):
        near = half[np.abs(half[:, 1] - level) < LEG_SLICE]
        if len(near) >= 3:
            centres[k] = (near[:, 0].min() + near[:, 0].max()) / 2
    return centres


def align_legs(
    vertices: np.ndarray, body: np.ndarray, crotch: float | None
) -> np.ndarray:
    """Move each trouser leg sideways onto the mannequin's leg.

    Garments made for a body standing with its feet closer or farther apart
    would otherwise cut through the mannequin's legs. Below the crotch,
    each leg's centre line is shifted to the body's, fading in over
    :data:`LEG_FADE` so the seat is untouched.
    """
    if crotch is None:
        return vertices
    bottom = max(vertices[:, 1].min(), body[:, 1].min())
    levels = np.arange(crotch - LEG_SLICE, bottom, -2 * LEG_SLICE)
    if len(levels) < 2:
        return vertices
    moved = vertices.copy()
    for side in (1.0, -1.0):
        garment = _side_centres(vertices, side, levels, 1.0)
        target = _side_centres(body, side, levels, LEG_REACH)
        known = np.isfinite(garment) & np.isfinite(target)
        if known.sum() < 2:
            continue
        # Smooth along the leg: slices of a coarse mesh are ragged.
        offsets = moving_average((target - garment)[known], LEG_SMOOTHING)
        shift = np.interp(vertices[:, 1], levels[known][::-1], offsets[::-1])
        fade = np.clip((crotch - vertices[:, 1]) / LEG_FADE, 0.0, 1.0)
        mine = side * vertices[:, 0] > 0
        moved[mine, 0] += (fade * shift)[mine]
    return moved
