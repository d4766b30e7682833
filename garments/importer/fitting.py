"""Put a garment on the canonical mannequin and bind it there.

The garment is first lifted out of the body (every vertex inside the
mannequin or closer than a margin is moved out along the body normal),
then, when the cloth solver and a collider are available, settled under
gravity with its neckline and shoulders (tops, dresses) or waistband
(bottoms) held, and finally bound to the mannequin's surface so that the
drape can carry it to any body of the same topology.

The mannequin is passed in (``garments`` does not import ``tryon``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from garments.binding import Binding, bind

__all__ = [
    "FitOnBody",
    "MannequinMesh",
    "anchor_mask",
    "fit_on_mannequin",
    "penetration_ratio",
    "push_outside",
]

logger = logging.getLogger(__name__)

# Distance kept between the garment and the mannequin skin, metres.
SKIN_MARGIN = 0.006

# Passes of the push out of the body.
PUSH_PASSES = 6
GRADIENT_PASSES = 20

# Band below the top of a garment held while settling, metres, and the
# share of the shoulder half-width held there for tops.
HOLD_BAND = 0.03
NECK_HOLD = 0.6


@dataclass(frozen=True)
class MannequinMesh:
    """The canonical mannequin a garment is fitted to.

    Attributes:
        vertices: (V, 3) float, metres, canonical frame, rest A-pose.
        faces: (F, 3) int, counter-clockwise from outside.
        anchors: anchor heights or points (see ``garments.grading``).
        collider: an object with ``query(points)`` (the Collider protocol)
            for the cloth solver, or None to skip settling.
    """

    vertices: np.ndarray
    faces: np.ndarray
    anchors: Mapping[str, object]
    collider: object | None = None


@dataclass(frozen=True)
class FitOnBody:
    """A garment at rest on the mannequin.

    Attributes:
        vertices: (V, 3) float32, metres, canonical frame.
        binding: the binding of ``vertices`` to the mannequin.
        anchor_vertices: (V,) bool vertices held while settling.
        pushed_out: vertices that were inside the body or too close.
        settled: whether the cloth solver ran.
        iterations: solver substeps (0 when it did not run).
        converged: whether the solver met its tolerances.
        penetration_ratio: share of vertices inside the mannequin after
            fitting.
        seconds: wall time of the fit.
    """

    vertices: np.ndarray
    binding: Binding
    anchor_vertices: np.ndarray
    pushed_out: int
    settled: bool
    iterations: int
    converged: bool
    penetration_ratio: float
    seconds: float


def anchor_mask(
    vertices: np.ndarray, category: str, anchors: Mapping[str, object]
) -> np.ndarray:
    """Vertices held while a garment settles on the mannequin.

    Tops, dresses and outerwear hang from their highest band (neckline and
    shoulder seams); bottoms from the waistband.

    Args:
        vertices: (V, 3) garment vertices, metres, canonical frame.
        category: garment category.
        anchors: body anchors (unused heights fall back to the garment top).

    Returns:
        (V,) bool.
    """
    top = float(vertices[:, 1].max())
    held = vertices[:, 1] > top - HOLD_BAND
    if category in ("top", "dress", "outerwear"):
        # Only the neckline and the inner shoulders: the shoulder ends and
        # the sleeves must be free to fall onto the arms.
        reach = np.abs(vertices[:, 0]) < NECK_HOLD * _half_shoulder(anchors, vertices)
        held &= reach
    return held


def _half_shoulder(anchors: Mapping[str, object], vertices: np.ndarray) -> float:
    points = anchors.get("shoulders")
    if points is not None and np.asarray(points).ndim == 2:
        return float(np.abs(np.asarray(points)[:, 0]).max()) + 0.03
    return float(np.abs(vertices[:, 0]).max()) * 0.5


def _normal_offsets(
    vertices: np.ndarray, body: MannequinMesh
) -> tuple[Binding, np.ndarray]:
    binding = bind(vertices, body.vertices, body.faces)
    return binding, binding.offsets[:, 2]


def push_outside(
    vertices: np.ndarray, body: MannequinMesh, margin: float = SKIN_MARGIN
) -> tuple[np.ndarray, int]:
    """Move vertices that are inside the body, or too close, out of it.

    Args:
        vertices: (V, 3) garment vertices, metres, canonical frame.
        body: the mannequin.
        margin: distance kept from the skin, metres.

    Returns:
        (V, 3) float32 vertices, and how many were moved.
    """
    result = np.asarray(vertices, dtype=np.float32).copy()
    ever = np.zeros(len(result), dtype=bool)
    # A moved point may find a new closest face; a few passes settle it.
    for _ in range(PUSH_PASSES):
        binding, offset = _normal_offsets(result, body)
        close = offset < margin
        if not close.any():
            break
        offsets = binding.offsets.copy()
        offsets[close, 2] = margin
        offsets[close, :2] = 0.0
        moved = replace(binding, offsets=offsets).apply(body.vertices)
        result[close] = moved[close]
        ever |= close
    # Then along the collider's distance gradient, which also finds the way
    # out of creases (armpits, crotch) where closest points flip sides.
    if body.collider is not None:
        for _ in range(GRADIENT_PASSES):
            distance, normals = _query(body.collider, result)
            close = distance < margin
            if not close.any():
                break
            result[close] += (margin - distance[close])[:, None] * normals[close]
            ever |= close
    return result, int(ever.sum())


def _query(collider: object, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Signed distance (P,) and outward normals (P, 3) from a collider."""
    import torch

    with torch.inference_mode():
        distance, normals = collider.query(torch.as_tensor(points, dtype=torch.float32))
    return distance.numpy().astype(np.float32), normals.numpy().astype(np.float32)


def penetration_ratio(vertices: np.ndarray, body: MannequinMesh) -> float:
    """Share of garment vertices inside the mannequin (0..1).

    Inside means a negative signed distance from the mannequin's collider,
    or, without a collider, a negative offset along the smoothed normal at
    the closest surface point.
    """
    if body.collider is not None:
        distance, _ = _query(body.collider, np.asarray(vertices, np.float32))
        return float(np.mean(distance < 0.0))
    _, offset = _normal_offsets(vertices, body)
    return float(np.mean(offset < 0.0))


def _settle(
    vertices: np.ndarray,
    faces: np.ndarray,
    fabric: str,
    body: MannequinMesh,
    held: np.ndarray,
    max_iterations: int,
) -> tuple[np.ndarray, int, bool] | None:
    """Settle with the cloth solver, or None when it is not available."""
    if body.collider is None:
        return None
    try:
        from garments.cloth import FABRICS, ClothSolver, SolverSettings
    except ImportError:
        logger.warning("cloth solver unavailable; garment fitted without settling")
        return None
    settings = SolverSettings(max_iterations=max_iterations)
    solver = ClothSolver(
        vertices,
        faces,
        FABRICS[fabric],
        collider=body.collider,
        pinned=held,
        settings=settings,
    )
    result = solver.settle()
    return result.vertices, result.iterations, result.converged


def fit_on_mannequin(
    vertices: np.ndarray,
    faces: np.ndarray,
    category: str,
    fabric: str,
    body: MannequinMesh,
    *,
    settle: bool = True,
    max_iterations: int = 120,
) -> FitOnBody:
    """Lift a garment out of the mannequin, settle it, and bind it.

    Args:
        vertices: (V, 3) garment placed on the mannequin, metres, canonical.
        faces: (F, 3) int garment triangles.
        category: garment category (chooses what is held).
        fabric: fabric preset name.
        body: the mannequin.
        settle: run the cloth solver when available.
        max_iterations: solver substeps at most.

    Returns:
        The garment at rest on the mannequin with its binding.
    """
    start = time.perf_counter()
    lifted, pushed = push_outside(vertices, body)
    held = anchor_mask(lifted, category, body.anchors)
    settled = None
    if settle:
        settled = _settle(lifted, faces, fabric, body, held, max_iterations)
    iterations, converged = 0, False
    if settled is not None:
        lifted, iterations, converged = settled
        # The solver keeps a collision margin; clean up what it left.
        lifted, extra = push_outside(lifted, body)
        pushed += extra
    binding = bind(lifted, body.vertices, body.faces)
    ratio = penetration_ratio(lifted, body)
    seconds = time.perf_counter() - start
    logger.info(
        "fitted %s vertices on the mannequin in %.2f s (%s pushed out, "
        "%s solver iterations)",
        len(lifted),
        seconds,
        pushed,
        iterations,
    )
    return FitOnBody(
        vertices=np.asarray(lifted, dtype=np.float32),
        binding=binding,
        anchor_vertices=held,
        pushed_out=pushed,
        settled=settled is not None,
        iterations=iterations,
        converged=converged,
        penetration_ratio=ratio,
        seconds=seconds,
    )
