"""Lofting: rings of points joined into a closed triangle mesh.

The mannequin is a set of tubes (torso with neck and head, two arms, two
legs) whose cross-sections are rings of points. A tube's faces follow one
rule everywhere: rings run counter-clockwise around the tube's direction
of travel (right-hand rule), so that every face's normal points outwards.
Where tubes meet, they share ring vertices, so the result is one closed,
consistently wound surface whose connectivity depends only on the counts
of rings and points, never on the measurements.
"""

from __future__ import annotations

import numpy as np

__all__ = ["MeshBuilder", "superellipse", "ring_perimeter", "unwrapped_angles"]


def superellipse(
    angles: np.ndarray, half_width: float, half_depth: float, exponent: float
) -> np.ndarray:
    """Points of a superellipse in the x-z plane, counter-clockwise about +Y.

    Args:
        angles: (n,) radians; 0 is +X, pi / 2 is -Z.
        half_width: semi-axis along X, metres.
        half_depth: semi-axis along Z, metres.
        exponent: 2 for an ellipse; larger is boxier.

    Returns:
        (n, 2) float64 x, z offsets from the ring centre.
    """
    cos, sin = np.cos(angles), np.sin(angles)
    power = 2.0 / exponent
    x = half_width * np.sign(cos) * np.abs(cos) ** power
    z = -half_depth * np.sign(sin) * np.abs(sin) ** power
    return np.stack([x, z], axis=1)


def ring_perimeter(points: np.ndarray) -> float:
    """Perimeter of a closed polygon ring (n, 2) or (n, 3), metres."""
    closed = np.vstack([points, points[:1]])
    return float(np.linalg.norm(np.diff(closed, axis=0), axis=1).sum())


def unwrapped_angles(
    points: np.ndarray, centre: np.ndarray, e1: np.ndarray, e2: np.ndarray
) -> np.ndarray:
    """Angles of ring points about ``centre`` in the (e1, e2) plane.

    Args:
        points: (n, 3) a ring, counter-clockwise about e1 x e2.
        centre: (3,) a point inside the ring.
        e1, e2: (3,) orthonormal in-plane axes.

    Returns:
        (n,) radians, increasing along the ring (unwrapped).
    """
    offsets = points - centre
    angles = np.arctan2(offsets @ e2, offsets @ e1)
    return np.unwrap(angles)


class MeshBuilder:
    """Collects vertices and faces of tubes, fans and shared rings."""

    def __init__(self) -> None:
        self._points: list[np.ndarray] = []
        self._parts: list[np.ndarray] = []
        self._faces: list[np.ndarray] = []
        self._count = 0

    def add(self, points: np.ndarray, part: int) -> np.ndarray:
        """Add (n, 3) points labelled ``part``; returns their indices (n,)."""
        points = np.asarray(points, dtype=np.float64).reshape(-1, 3)
        indices = np.arange(self._count, self._count + len(points))
        self._points.append(points)
        self._parts.append(np.full(len(points), part, dtype=np.int8))
        self._count += len(points)
        return indices

    def band(self, lower: np.ndarray, upper: np.ndarray) -> None:
        """Quads (two triangles each) between two rings of equal count.

        ``lower`` and ``upper`` run counter-clockwise about the direction
        from ``lower`` to ``upper``.
        """
        a, b = np.asarray(lower), np.asarray(upper)
        a1, b1 = np.roll(a, -1), np.roll(b, -1)
        self._faces.append(np.stack([a, a1, b1], axis=1))
        self._faces.append(np.stack([a, b1, b], axis=1))

    def band_with_gap(
        self, lower: np.ndarray, upper: np.ndarray, gap: np.ndarray
    ) -> None:
        """Like :meth:`band`, leaving out the quads where ``gap`` (n,) is set.

        Quad ``j`` joins points ``j`` and ``j + 1`` of both rings.
        """
        a, b = np.asarray(lower), np.asarray(upper)
        a1, b1 = np.roll(a, -1), np.roll(b, -1)
        keep = ~np.asarray(gap, dtype=bool)
        self._faces.append(np.stack([a, a1, b1], axis=1)[keep])
        self._faces.append(np.stack([a, b1, b], axis=1)[keep])

    def strip(self, lower: np.ndarray, upper: np.ndarray) -> None:
        """Quads between two open polylines of equal count (no wrap-around)."""
        a, b = np.asarray(lower), np.asarray(upper)
        self._faces.append(np.stack([a[:-1], a[1:], b[1:]], axis=1))
        self._faces.append(np.stack([a[:-1], b[1:], b[:-1]], axis=1))

    def fan(self, ring: np.ndarray, pole: int) -> None:
        """Triangles closing ``ring`` with ``pole`` ahead along the tube."""
        a = np.asarray(ring)
        self._faces.append(np.stack([a, np.roll(a, -1), np.full_like(a, pole)], axis=1))

    def tube(self, rings: list[np.ndarray]) -> None:
        """Bands between each pair of consecutive rings."""
        for lower, upper in zip(rings[:-1], rings[1:], strict=True):
            self.band(lower, upper)

    def build(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vertices (V, 3) float64, faces (F, 3) int64, parts (V,) int8.

        Points no face uses (inside the arm holes) are dropped; which ones
        depends only on the counts, so the connectivity stays fixed.
        """
        points = np.concatenate(self._points)
        faces = np.concatenate(self._faces).astype(np.int64)
        parts = np.concatenate(self._parts)
        used = np.zeros(len(points), dtype=bool)
        used[faces.ravel()] = True
        new_index = np.cumsum(used) - 1
        return points[used], new_index[faces], parts[used]
