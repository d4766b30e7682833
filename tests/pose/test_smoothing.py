"""The One Euro filter and the girth formula against simple references."""

from __future__ import annotations

import math

import numpy as np
import pytest

import pose

RATE_HZ = 30.0


def _filtered(signal: np.ndarray, settings: pose.OneEuroSettings) -> np.ndarray:
    smoother = pose.OneEuroFilter(settings)
    return np.array(
        [smoother(value, timestamp_s=i / RATE_HZ) for i, value in enumerate(signal)]
    )


def test_first_sample_passes_through():
    smoother = pose.OneEuroFilter()
    values = np.array([[0.3, 0.4], [0.5, 0.6]])
    np.testing.assert_array_equal(smoother(values, 0.0), values)


def test_still_noisy_point_is_smoothed():
    rng = np.random.default_rng(1)
    noisy = 0.5 + rng.normal(0.0, 0.002, size=300)
    smoothed = _filtered(noisy, pose.OneEuroSettings())
    # Jitter: the spread after the first second, reduced at least threefold.
    assert smoothed[30:].std() < noisy[30:].std() / 3.0


def test_fast_motion_is_followed_with_little_lag():
    # A point crossing the picture in one second, sampled at 30 Hz.
    ramp = np.linspace(0.0, 1.0, 31)
    settings = pose.OneEuroSettings()
    smoothed = _filtered(ramp, settings)
    lag_samples = np.abs(smoothed - ramp)[5:].max() / (ramp[1] - ramp[0])
    assert lag_samples < 1.0
    # Without the speed term (beta 0) the same motion lags far behind.
    sluggish = _filtered(ramp, pose.OneEuroSettings(beta=0.0))
    assert np.abs(sluggish - ramp)[5:].max() > 10 * np.abs(smoothed - ramp)[5:].max()


def test_scale_makes_speed_relative_to_the_object():
    # The same motion of an object twice as large is a slower motion.
    ramp = np.linspace(0.0, 0.2, 31)
    small = pose.OneEuroFilter(pose.OneEuroSettings(beta=1.0))
    large = pose.OneEuroFilter(pose.OneEuroSettings(beta=1.0))
    lag_small = lag_large = 0.0
    for i, value in enumerate(ramp):
        lag_small = value - small(value, i / RATE_HZ, scale=0.5)
        lag_large = value - large(value, i / RATE_HZ, scale=1.0)
    assert lag_large > lag_small > 0.0


def _ellipse_perimeter_by_sum(width: float, depth: float) -> float:
    """Reference: the polygon of 100 000 points on the ellipse."""
    angles = np.linspace(0.0, 2.0 * math.pi, 100_001)
    x = width / 2.0 * np.cos(angles)
    y = depth / 2.0 * np.sin(angles)
    return float(np.hypot(np.diff(x), np.diff(y)).sum())


# Circle, torso-like ellipses, and a very flat one.
@pytest.mark.parametrize(
    ("width", "depth"), [(30.0, 30.0), (34.0, 24.0), (31.0, 25.0), (40.0, 4.0)]
)
def test_ellipse_perimeter(width, depth):
    expected = _ellipse_perimeter_by_sum(width, depth)
    assert pose.ellipse_perimeter(width, depth) == pytest.approx(expected, rel=1e-4)
