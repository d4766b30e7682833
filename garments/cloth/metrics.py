"""Measures of a cloth state: strain, penetration, kinetic energy."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import torch

from garments.cloth.checks import as_points, check_shape

if TYPE_CHECKING:
    from garments.colliders import Collider

__all__ = ["edge_strain", "kinetic_energy", "penetration_ratio", "vertex_strain"]


def edge_strain(
    vertices: np.ndarray | torch.Tensor,
    edges: np.ndarray,
    rest_lengths: np.ndarray,
) -> np.ndarray:
    """Stretch of each edge: length over rest length, minus 1.

    Args:
        vertices: (V, 3) metres.
        edges: (E, 2) int vertex indices.
        rest_lengths: (E,) metres, positive.

    Returns:
        (E,) float32, positive where stretched, negative where compressed.

    Raises:
        ValueError: bad shapes.
    """
    points = _numpy(vertices)
    edges = np.asarray(edges, dtype=np.int64)
    rest_lengths = np.asarray(rest_lengths, dtype=np.float64)
    check_shape("vertices", points.shape, "(V, 3)")
    check_shape("edges", edges.shape, "(E, 2)")
    check_shape("rest_lengths", rest_lengths.shape, f"({len(edges)},)")
    lengths = np.linalg.norm(points[edges[:, 1]] - points[edges[:, 0]], axis=1)
    return (lengths / np.maximum(rest_lengths, 1e-12) - 1.0).astype(np.float32)


def vertex_strain(
    vertices: np.ndarray | torch.Tensor,
    edges: np.ndarray,
    rest_lengths: np.ndarray,
) -> np.ndarray:
    """Stretch at each vertex: the mean :func:`edge_strain` of its edges.

    Args:
        vertices: (V, 3) metres.
        edges: (E, 2) int vertex indices.
        rest_lengths: (E,) metres.

    Returns:
        (V,) float32; 0 for a vertex on no edge.
    """
    strain = edge_strain(vertices, edges, rest_lengths).astype(np.float64)
    count = len(_numpy(vertices))
    edges = np.asarray(edges, dtype=np.int64)
    total = np.bincount(edges.reshape(-1), np.repeat(strain, 2), minlength=count)
    number = np.bincount(edges.reshape(-1), minlength=count)
    return (total / np.maximum(number, 1)).astype(np.float32)


def penetration_ratio(
    vertices: np.ndarray | torch.Tensor,
    collider: Collider,
    tolerance: float = 0.0,
) -> float:
    """The share of vertices deeper than ``tolerance`` inside the collider.

    Args:
        vertices: (V, 3) metres, the collider's frame.
        collider: anything with a :meth:`Collider.query`.
        tolerance: metres; a vertex counts as inside when its signed
            distance is below ``-tolerance``.

    Returns:
        A share in 0..1 (0 for no vertices).
    """
    points = torch.as_tensor(_numpy(vertices), dtype=torch.float32)
    device = getattr(collider, "device", None)
    points = as_points("vertices", points, device or "cpu")
    if len(points) == 0:
        return 0.0
    with torch.inference_mode():
        distance, _ = collider.query(points)
    return float((distance < -tolerance).float().mean())


def kinetic_energy(velocities: torch.Tensor, masses: torch.Tensor) -> float:
    """Sum of one half m v^2, joules.

    Args:
        velocities: (V, 3) m/s.
        masses: (V,) kg.
    """
    return float(0.5 * (masses * (velocities * velocities).sum(dim=1)).sum())


def _numpy(values: np.ndarray | torch.Tensor) -> np.ndarray:
    if isinstance(values, torch.Tensor):
        return values.detach().cpu().numpy().astype(np.float64)
    return np.asarray(values, dtype=np.float64)
