"""Fixtures of the pose suite: one warm estimator for every test."""

from __future__ import annotations

import numpy as np
import pytest

import pose
from tests.conftest import require_testdata


@pytest.fixture(scope="session")
def estimator():
    """A photo-mode estimator shared by the suite (MediaPipe is slow to start)."""
    with pose.PoseEstimator() as shared:
        yield shared


@pytest.fixture(scope="session")
def skier_path():
    """The COCO skier: one person, full body, all 17 keypoints labelled."""
    return require_testdata("photos", "coco", "000000000785.jpg")


@pytest.fixture(scope="session")
def skier(skier_path) -> np.ndarray:
    """(H, W, 3) uint8 pixels of the skier."""
    return pose.load_image(skier_path).rgb


@pytest.fixture(scope="session")
def skier_result(estimator, skier):
    """The skier's pose with the height given as 175 cm."""
    return estimator.estimate(skier, height_cm=175)
