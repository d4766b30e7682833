"""The one input-checking helper of the cloth simulation and colliders."""

from __future__ import annotations

import numpy as np
import torch

__all__ = ["as_points", "as_faces", "check_shape"]


def check_shape(name: str, shape: tuple[int, ...], expected: str) -> None:
    """Check a shape against a spec such as ``"(V, 3)"`` or ``"(V,)"``.

    Letters match any size; numbers must match exactly.

    Raises:
        ValueError: the number of dimensions or a fixed size differs.
    """
    spec = [s.strip() for s in expected.strip("()").split(",") if s.strip()]
    ok = len(spec) == len(shape) and all(
        not s.isdigit() or int(s) == n for s, n in zip(spec, shape, strict=False)
    )
    if not ok:
        raise ValueError(f"{name} must have shape {expected}, got {tuple(shape)}")


def as_points(
    name: str,
    value: np.ndarray | torch.Tensor,
    device: torch.device | str = "cpu",
) -> torch.Tensor:
    """A (N, 3) float32 tensor on ``device`` from an array or tensor.

    Raises:
        ValueError: not of shape (N, 3), or holds NaN or infinity.
    """
    tensor = torch.as_tensor(value, dtype=torch.float32, device=device)
    check_shape(name, tuple(tensor.shape), "(N, 3)")
    if not bool(torch.isfinite(tensor).all()):
        raise ValueError(f"{name} must be finite, got NaN or infinity")
    return tensor


def as_faces(name: str, value: np.ndarray, num_vertices: int) -> np.ndarray:
    """A (F, 3) int64 array of vertex indices below ``num_vertices``.

    Raises:
        ValueError: not of shape (F, 3), or an index is out of range.
    """
    faces = np.asarray(value, dtype=np.int64)
    check_shape(name, faces.shape, "(F, 3)")
    if faces.size and (faces.min() < 0 or faces.max() >= num_vertices):
        raise ValueError(
            f"{name} must index vertices 0..{num_vertices - 1}, "
            f"got {faces.min()}..{faces.max()}"
        )
    return faces
