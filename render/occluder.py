"""The body's triangles that can hide some of the garment, and no others.

Every triangle sent to a CPU rasteriser costs, even one hidden behind
another, so the occluder is trimmed before drawing:

1. Its winding is made outward (the sign of the enclosed volume), then
   triangles facing away from the camera are dropped: on a closed body
   the triangles facing the camera are in front of them.
2. Triangles entirely behind the garment's farthest point cannot hide it.
3. Triangles entirely to one side of the rendered window are not seen.

Note:
    Step 1 needs a closed, consistently wound occluder (either way
    round), like the body mesh; holes in it let the garment through.
"""

from __future__ import annotations

import numpy as np

__all__ = ["trim_occluder"]


def trim_occluder(
    vertices: np.ndarray,
    faces: np.ndarray,
    K: np.ndarray,
    window: tuple[int, int, int, int],
    farthest_z: float,
    znear: float,
) -> np.ndarray:
    """The occluder's faces that can hide part of the garment.

    Args:
        vertices: (V, 3) float32, metres, OpenCV camera frame.
        faces: (F, 3) int.
        K: (3, 3) intrinsics of the full image, pixels.
        window: (left, top, width, height) of the rendered rectangle.
        farthest_z: the garment's largest z, metres.
        znear: near clipping distance, metres.

    Returns:
        (F', 3) uint32, a subset of ``faces``, wound outward.
    """
    vertices = np.asarray(vertices, dtype=np.float32)
    corners = vertices[faces]  # (F, 3, 3)
    normals = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])

    # 1. Outward winding; keep triangles facing the camera at the origin.
    first = corners[:, 0]  # (F, 3)
    facing = (normals * first).sum(axis=1)  # (F,), 6 x signed volume terms
    if facing.sum(dtype=np.float64) < 0:
        faces = faces[:, ::-1]
        facing = -facing
    keep = facing < 0  # (F,), normal towards the camera

    # 2. In front of the garment's farthest point somewhere.
    depths = vertices[:, 2][faces]  # (F, 3)
    nearest = depths.min(axis=1)  # (F,)
    keep &= nearest <= farthest_z

    # 3. Not entirely beside the window (judged only for triangles in front
    # of the camera, whose projection means something).
    safe_z = np.maximum(vertices[:, 2], znear)  # (V,)
    u = (K[0, 0] * vertices[:, 0] / safe_z + K[0, 2])[faces]  # (F, 3)
    v = (K[1, 1] * vertices[:, 1] / safe_z + K[1, 2])[faces]  # (F, 3)
    left, top, width, height = window
    beside = (
        (u.max(axis=1) < left)
        | (u.min(axis=1) > left + width)
        | (v.max(axis=1) < top)
        | (v.min(axis=1) > top + height)
    )
    keep &= ~(beside & (nearest > znear))
    return np.ascontiguousarray(faces[keep], dtype=np.uint32)
