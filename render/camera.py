"""The pinhole camera of a photo and its one OpenCV to OpenGL conversion.

Pixel coordinates follow the continuous convention used by MediaPipe's
landmarks and by OpenGL: (0, 0) is the top-left corner of the top-left
pixel, so pixel (column i, row j) has its centre at (i + 0.5, j + 0.5).
The camera frame is OpenCV's (x right, y down, z forward, metres).

pyrender uses OpenGL's camera convention (x right, y up, z backward). We
place every mesh in the scene in OpenCV camera coordinates unchanged and
give pyrender's camera the pose :data:`OPENGL_FROM_OPENCV`, a rotation of
180 degrees about x that flips y and z. This is the only place where the
two conventions meet.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np

from render._gl import import_pyrender
from render.errors import RenderInputError, check_array

__all__ = [
    "DEFAULT_FOCAL_PER_DIAGONAL",
    "FULL_FRAME_DIAGONAL_MM",
    "ZFAR_M",
    "ZNEAR_M",
    "Intrinsics",
    "OPENGL_FROM_OPENCV",
    "intrinsics_for_image",
    "project_points",
    "pyrender_camera",
]

logger = logging.getLogger(__name__)

# Diagonal of a 36 x 24 mm film frame; EXIF's 35 mm equivalent focal length
# is relative to it.
FULL_FRAME_DIAGONAL_MM = math.hypot(36.0, 24.0)

# A phone's main camera: focal length about 0.6 x the image diagonal
# (roughly 26 mm equivalent, a 79 degree diagonal field of view).
DEFAULT_FOCAL_PER_DIAGONAL = 0.6

# Clipping distances of the rendering camera, metres.
ZNEAR_M = 0.05
ZFAR_M = 100.0

# Camera pose for pyrender: maps OpenGL camera axes to OpenCV camera axes.
OPENGL_FROM_OPENCV = np.diag([1.0, -1.0, -1.0, 1.0])


@dataclass(frozen=True)
class Intrinsics:
    """The pinhole intrinsics of one image.

    Attributes:
        K: (3, 3) float64, pixels; fx, fy on the diagonal, principal point
            (cx, cy) in the last column (continuous pixel convention).
        source: "exif" when the focal length came from the photo's EXIF
            35 mm equivalent focal length, "default" otherwise.
        width: image width in pixels (0 when unknown).
        height: image height in pixels (0 when unknown).
    """

    K: np.ndarray
    source: str
    width: int = 0
    height: int = 0

    @property
    def focal_length_px(self) -> float:
        """The focal length fx in pixels."""
        return float(self.K[0, 0])

    def as_dict(self) -> dict[str, object]:
        """JSON-able form for the try-on report."""
        return {
            "K": self.K.tolist(),
            "source": self.source,
            "width": self.width,
            "height": self.height,
        }


def intrinsics_for_image(
    width: int, height: int, focal_length_35mm: float | None = None
) -> Intrinsics:
    """The intrinsics of a photo of ``width`` x ``height`` pixels.

    With an EXIF 35 mm equivalent focal length f35 (mm), the focal length in
    pixels keeps the diagonal field of view: f_px = f35 * diagonal_px /
    43.27. Without it, f_px = 0.6 * diagonal_px, like a phone's main
    camera. The principal point is the image centre; pixels are square.

    Args:
        width: image width in pixels, > 0.
        height: image height in pixels, > 0.
        focal_length_35mm: EXIF FocalLengthIn35mmFilm in millimetres, or
            None (zero or a negative value counts as absent).

    Returns:
        The intrinsics and where the focal length came from.

    Raises:
        RenderInputError: when width or height is not positive.
    """
    if width <= 0 or height <= 0:
        raise RenderInputError(f"image size must be positive, got {width} x {height}")
    diagonal_px = math.hypot(width, height)
    if focal_length_35mm is not None and focal_length_35mm > 0:
        focal_px = focal_length_35mm * diagonal_px / FULL_FRAME_DIAGONAL_MM
        source = "exif"
    else:
        focal_px = DEFAULT_FOCAL_PER_DIAGONAL * diagonal_px
        source = "default"
    K = np.array(
        [
            [focal_px, 0.0, width / 2.0],
            [0.0, focal_px, height / 2.0],
            [0.0, 0.0, 1.0],
        ]
    )
    logger.debug("intrinsics %dx%d f=%.1f px (%s)", width, height, focal_px, source)
    return Intrinsics(K=K, source=source, width=int(width), height=int(height))


def project_points(K: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Pinhole projection of camera-frame points to pixels.

    Args:
        K: (3, 3) intrinsics, pixels.
        points: (N, 3) metres, OpenCV camera frame, z > 0.

    Returns:
        (N, 2) float64 pixel coordinates (continuous convention).
    """
    K = check_array("K", K, (3, 3))
    points = check_array("points", points, (None, 3), "(N, 3)")
    homogeneous = points @ K.T  # (N, 3)
    return homogeneous[:, :2] / homogeneous[:, 2:3]


def pyrender_camera(
    K: np.ndarray, znear: float = ZNEAR_M, zfar: float = ZFAR_M
) -> object:
    """A pyrender IntrinsicsCamera that reproduces ``K``.

    Put it in the scene with the pose :data:`OPENGL_FROM_OPENCV` and place
    the meshes in OpenCV camera coordinates.

    Args:
        K: (3, 3) intrinsics, pixels (continuous convention, which is
            pyrender's own).
        znear: near clipping distance, metres.
        zfar: far clipping distance, metres.
    """
    pyrender = import_pyrender()
    K = check_array("K", K, (3, 3))
    return pyrender.IntrinsicsCamera(
        fx=float(K[0, 0]),
        fy=float(K[1, 1]),
        cx=float(K[0, 2]),
        cy=float(K[1, 2]),
        znear=znear,
        zfar=zfar,
    )
