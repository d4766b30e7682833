"""One Euro filtering of landmark trajectories (Casiez et al., CHI 2012).

The filter is a low-pass whose cutoff rises with speed: still landmarks
are smoothed hard (little jitter), moving ones lightly (little lag).

Units, as in MediaPipe's pose landmark smoothing: the speed that drives
the cutoff is measured in *person sizes per second*, that is the speed of
a value divided by the person's size in the same unit (the mean of the
width and height of the landmarks' bounding box, see :func:`object_scale`).
MediaPipe filters image landmarks in pixels with the size in pixels;
``pose.PoseStream`` does the same, and filters world landmarks in metres
with the size in metres. The speed is therefore unitless and the defaults
(min_cutoff 0.1 Hz, beta 40, derivative cutoff 1 Hz) mean the same at any
image resolution. Cutoffs are in hertz.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["OneEuroSettings", "OneEuroFilter", "object_scale"]


@dataclass(frozen=True)
class OneEuroSettings:
    """Parameters of the One Euro filter (MediaPipe's pose defaults).

    Attributes:
        min_cutoff: cutoff in Hz of a still landmark; lower removes more
            jitter.
        beta: how fast the cutoff rises with speed, in Hz per (person
            size per second); higher removes more lag.
        derivative_cutoff: cutoff in Hz of the speed estimate.
    """

    min_cutoff: float = 0.1
    beta: float = 40.0
    derivative_cutoff: float = 1.0


def _alpha(cutoff: np.ndarray | float, period_s: float) -> np.ndarray | float:
    """Smoothing factor of an exponential low-pass at ``cutoff`` Hz."""
    time_constant = 1.0 / (2.0 * math.pi * np.asarray(cutoff))
    return 1.0 / (1.0 + time_constant / period_s)


def object_scale(points: np.ndarray) -> float:
    """Mean of the bounding box's width and height of (L, 2+) points."""
    extent = points[:, :2].max(axis=0) - points[:, :2].min(axis=0)
    return float(max(extent.mean(), 1e-6))


class OneEuroFilter:
    """One Euro filter over an array of values (each filtered on its own).

    Args:
        settings: the filter's parameters.

    Example:
        >>> smoother = OneEuroFilter()
        >>> smoother(np.zeros((33, 2)), timestamp_s=0.0).shape
        (33, 2)
    """

    def __init__(self, settings: OneEuroSettings = OneEuroSettings()) -> None:
        self.settings = settings
        self._value: np.ndarray | None = None
        self._speed: np.ndarray | None = None
        self._time_s: float | None = None

    def reset(self) -> None:
        """Forget the past (the next value passes through unchanged)."""
        self._value = None
        self._speed = None
        self._time_s = None

    def __call__(
        self, values: np.ndarray, timestamp_s: float, scale: float = 1.0
    ) -> np.ndarray:
        """Filter one sample.

        Args:
            values: (...) float, this sample (same shape on every call).
            timestamp_s: the sample's time in seconds, increasing.
            scale: size of the tracked object in the values' units; speeds
                are divided by it before driving the cutoff.

        Returns:
            The filtered values, float64, same shape.
        """
        values = np.asarray(values, dtype=np.float64)
        if self._value is None or self._time_s is None:
            return self._start(values, timestamp_s)
        period_s = timestamp_s - self._time_s
        if period_s <= 0.0:
            # A repeated or out-of-order timestamp: keep the last estimate.
            return self._value.copy()

        # 1. Smoothed speed, in object sizes per second.
        speed = (values - self._value) / (period_s * max(scale, 1e-9))
        alpha_speed = _alpha(self.settings.derivative_cutoff, period_s)
        self._speed = alpha_speed * speed + (1.0 - alpha_speed) * self._speed

        # 2. A cutoff that rises with speed, then the value's low-pass.
        cutoff = self.settings.min_cutoff + self.settings.beta * np.abs(self._speed)
        alpha_value = _alpha(cutoff, period_s)
        self._value = alpha_value * values + (1.0 - alpha_value) * self._value
        self._time_s = timestamp_s
        return self._value.copy()

    def _start(self, values: np.ndarray, timestamp_s: float) -> np.ndarray:
        self._value = values.copy()
        self._speed = np.zeros_like(values)
        self._time_s = timestamp_s
        return values.copy()
