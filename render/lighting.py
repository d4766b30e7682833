"""Lighting of a photo, estimated so that a rendered garment sits in it.

What is estimated, from the photo alone (no light probe):

1. Colour: grey-world; the mean linear RGB of the whole photo is taken to
   be the light's colour (a scene averages out to grey). The same mean
   gives a correlated colour temperature (McCamy's approximation).
2. Brightness: the square root of the mean linear luminance of the photo
   relative to a mid-grey scene (0.18), clipped to 0.5..1.25 (cameras
   expose for the scene, so a bright mean is mostly a light scene).
3. Direction: over the person mask, a plane fitted to the luminance,
   L = a + b x + c y; the person is brighter on the side the light comes
   from. The gradient (b, c), relative to the mean, tilts the light from
   frontal towards that side, by at most about 60 degrees. With too small
   a person or a flat fit the light stays frontal and from above the
   camera.

Note:
    The person's clothing pattern and skin tone bias the direction estimate
    (a half-dark shirt looks like side light); the gradient is clipped so
    that the light never leaves the front hemisphere.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np

from render.errors import RenderInputError, check_array
from render.mesh import srgb_to_linear

__all__ = [
    "DEFAULT_DIRECTION",
    "Lighting",
    "colour_temperature_k",
    "estimate_lighting",
]

logger = logging.getLogger(__name__)

# Towards the light, OpenCV camera frame: from above the camera, frontal.
DEFAULT_DIRECTION = (0.0, -0.5, -1.0)

# Largest sideways tilt of the light added to the default direction (a
# tangent): the light stays within about 60 degrees of the camera's axis.
MAX_TILT = 1.2

# Mean linear luminance of a well exposed, average scene.
MID_GREY = 0.18

# Pictures are reduced to about this many pixels on the long side first.
ANALYSIS_SIZE = 160

# The person must cover this many analysis pixels for a direction estimate.
MIN_PERSON_PIXELS = 200

# Linear sRGB (D65) to CIE XYZ.
_XYZ_FROM_RGB = np.array(
    [
        [0.4124, 0.3576, 0.1805],
        [0.2126, 0.7152, 0.0722],
        [0.0193, 0.1192, 0.9505],
    ]
)


@dataclass(frozen=True)
class Lighting:
    """Light to render with.

    Attributes:
        direction: (3,) unit vector towards the key light, OpenCV camera
            frame (x right, y down, z forward): (0, 0, -1) is a light at
            the camera, negative x a light on the image's left.
        colour: (3,) linear RGB of the light, luminance 1.
        intensity: overall brightness, 1.0 for a well exposed photo: a
            white surface facing the light renders at about this level.
        ambient: share of the light that is ambient (0..1), the rest comes
            from the key light.
        colour_temperature_k: correlated colour temperature in kelvin
            (lower is warmer).
        source: "photo" when estimated, "default" otherwise.
    """

    direction: tuple[float, float, float] = (0.0, -0.447214, -0.894427)
    colour: tuple[float, float, float] = (1.0, 1.0, 1.0)
    intensity: float = 1.0
    ambient: float = 0.45
    colour_temperature_k: float = 6500.0
    source: str = "default"

    def as_dict(self) -> dict[str, object]:
        """JSON-able form for reports."""
        return {
            "direction": [round(v, 4) for v in self.direction],
            "colour": [round(v, 4) for v in self.colour],
            "intensity": round(self.intensity, 4),
            "ambient": round(self.ambient, 4),
            "colour_temperature_k": round(self.colour_temperature_k, 1),
            "source": self.source,
        }


def colour_temperature_k(linear_rgb: np.ndarray) -> float:
    """Correlated colour temperature of a linear sRGB colour (McCamy, 1992).

    Args:
        linear_rgb: (3,) linear sRGB, not all zero.

    Returns:
        Kelvin, clipped to 1000..25000.
    """
    xyz = _XYZ_FROM_RGB @ np.asarray(linear_rgb, dtype=np.float64)
    total = float(xyz.sum())
    if total <= 1e-9:
        return 6500.0
    x, y = xyz[0] / total, xyz[1] / total
    n = (x - 0.3320) / (0.1858 - y)
    cct = 449.0 * n**3 + 3525.0 * n**2 + 6823.3 * n + 5520.33
    return float(np.clip(cct, 1000.0, 25000.0))


def estimate_lighting(rgb: np.ndarray, person_mask: np.ndarray | None) -> Lighting:
    """Estimate the light of a photo (see the module docstring).

    Args:
        rgb: (H, W, 3) uint8 sRGB photo.
        person_mask: (H, W) person segmentation: bool, uint8 0..255 or
            float 0..1; or None for no direction estimate.

    Returns:
        The lighting, ``source`` "photo".

    Raises:
        RenderInputError: on a wrong shape or dtype.
    """
    rgb = check_array("rgb", rgb, (None, None, 3), "(H, W, 3)")
    if rgb.dtype != np.uint8:
        raise RenderInputError(f"rgb must be uint8, got {rgb.dtype}")
    small, mask = _reduce(rgb, person_mask)

    # 1. Colour and colour temperature (grey-world over the whole photo).
    linear = srgb_to_linear(small.astype(np.float32) / 255.0)  # (h, w, 3)
    mean_rgb = linear.reshape(-1, 3).mean(axis=0).astype(np.float64)  # (3,)
    luminance = float(_XYZ_FROM_RGB[1] @ mean_rgb)
    temperature = colour_temperature_k(mean_rgb)
    colour = _light_colour(mean_rgb, luminance)

    # 2. Brightness relative to an average, well exposed scene, softened:
    # cameras expose for the scene, so a bright mean is mostly a light
    # scene (snow, a white wall), only partly a bright light.
    intensity = float(np.clip(np.sqrt(luminance / MID_GREY), 0.5, 1.25))

    # 3. Direction and ambient share from the shading over the person.
    direction, contrast = _direction(linear, mask)
    ambient = float(np.clip(0.55 - 0.6 * contrast, 0.3, 0.55))
    lighting = Lighting(
        direction=direction,
        colour=colour,
        intensity=intensity,
        ambient=ambient,
        colour_temperature_k=temperature,
        source="photo",
    )
    logger.debug("estimated lighting %s", lighting.as_dict())
    return lighting


def _reduce(
    rgb: np.ndarray, person_mask: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """The photo and mask subsampled to about ANALYSIS_SIZE pixels long."""
    height, width = rgb.shape[:2]
    step = max(1, math.ceil(max(height, width) / ANALYSIS_SIZE))
    small = rgb[::step, ::step]  # (h, w, 3)
    if person_mask is None:
        return small, None
    person_mask = check_array("person_mask", person_mask, (height, width), "(H, W)")
    mask = person_mask[::step, ::step]
    if mask.dtype == np.uint8:
        return small, mask > 127
    return small, mask.astype(np.float32) > 0.5


def _light_colour(mean_rgb: np.ndarray, luminance: float) -> tuple[float, ...]:
    """Grey-world light colour with luminance 1, half-way back to white.

    Grey-world overstates the tint of scenes that are really coloured (a
    green lawn), so only half of it is kept.
    """
    if luminance <= 1e-6:
        return (1.0, 1.0, 1.0)
    tint = mean_rgb / luminance  # (3,), luminance 1
    colour = 0.5 * tint + 0.5
    colour = colour / float(_XYZ_FROM_RGB[1] @ colour)
    return tuple(float(c) for c in colour)


def _direction(
    linear: np.ndarray, mask: np.ndarray | None
) -> tuple[tuple[float, float, float], float]:
    """Unit direction towards the light and the relative shading contrast."""
    default = np.array(DEFAULT_DIRECTION) / np.linalg.norm(DEFAULT_DIRECTION)
    if mask is None or int(mask.sum()) < MIN_PERSON_PIXELS:
        return tuple(float(v) for v in default), 0.0
    rows, cols = np.nonzero(mask)
    luminance = linear[rows, cols] @ _XYZ_FROM_RGB[1].astype(np.float32)  # (P,)
    mean = float(luminance.mean())
    if mean <= 1e-4:
        return tuple(float(v) for v in default), 0.0

    # Coordinates scaled to -1..1 over the person's bounding box.
    x = _unit_range(cols.astype(np.float64))
    y = _unit_range(rows.astype(np.float64))
    design = np.stack([np.ones_like(x), x, y], axis=1)  # (P, 3)
    coefficients, *_ = np.linalg.lstsq(design, luminance, rcond=None)
    gradient = np.clip(coefficients[1:] / mean, -1.0, 1.0)  # (2,) per half-width

    # Tilt from frontal-top towards the bright side: a gradient of 0.5
    # (the bright side 2x the mean of the dark one) gives about 45 degrees.
    tilt = 2.0 * gradient
    tilt *= min(1.0, MAX_TILT / max(float(np.linalg.norm(tilt)), 1e-9))
    base = np.asarray(DEFAULT_DIRECTION, dtype=np.float64)
    vector = np.array([base[0] + tilt[0], base[1] + tilt[1], base[2]])
    vector /= np.linalg.norm(vector)
    contrast = float(np.linalg.norm(gradient))
    return tuple(float(v) for v in vector), contrast


def _unit_range(values: np.ndarray) -> np.ndarray:
    """Map values linearly to -1..1 (all zeros when they are constant)."""
    low, high = values.min(), values.max()
    if high - low < 1e-9:
        return np.zeros_like(values)
    return 2.0 * (values - low) / (high - low) - 1.0
