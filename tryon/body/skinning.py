"""Linear blend skinning."""

from __future__ import annotations

import numpy as np

__all__ = ["skin"]


def skin(
    rest_points: np.ndarray, skin_weights: np.ndarray, joint_transforms: np.ndarray
) -> np.ndarray:
    """Move rest-pose points by a weighted blend of joint transforms.

    Args:
        rest_points: (P, 3) rest pose, canonical body frame, metres.
        skin_weights: (P, J) rows summing to 1.
        joint_transforms: (J, 4, 4) rigid transforms from rest canonical
            coordinates to the target frame (camera frame, say).

    Returns:
        (P, 3) float32 points in the target frame.

    Raises:
        ValueError: the shapes do not agree.
    """
    rest_points = np.asarray(rest_points, dtype=np.float32)
    skin_weights = np.asarray(skin_weights, dtype=np.float32)
    transforms = np.asarray(joint_transforms, dtype=np.float32)
    points, joints = skin_weights.shape
    if rest_points.shape != (points, 3) or transforms.shape != (joints, 4, 4):
        raise ValueError(
            f"skin needs rest_points (P, 3), skin_weights (P, J) and "
            f"joint_transforms (J, 4, 4); got {rest_points.shape}, "
            f"{skin_weights.shape} and {transforms.shape}"
        )
    # 1. blend the transforms' top three rows per point
    blended = (skin_weights @ transforms[:, :3, :].reshape(joints, 12)).reshape(
        points, 3, 4
    )  # (P, 3, 4)
    # 2. apply the blended affine map to each point
    moved = np.einsum("pij,pj->pi", blended[:, :, :3], rest_points)  # (P, 3)
    return moved + blended[:, :, 3]
