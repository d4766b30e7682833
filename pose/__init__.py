"""Pose estimation from photos and video: landmarks, person mask, measurements.

MediaPipe BlazePose (imported lazily) finds one person; this package turns
its output into landmarks in the photo's own pixels, a full-resolution
person mask and body measurements in centimetres, and smooths landmarks
over video frames.
"""

from pose.backend import MediaPipeSolutionsBackend, PoseBackend, RawPose
from pose.draw import draw_landmarks
from pose.errors import (
    BodyPartsOutOfFrame,
    HeightOutOfRange,
    NoPersonFound,
    NotAnImage,
    PoseError,
)
from pose.estimator import InferenceSize, PoseEstimator
from pose.image import LoadedImage, load_image, to_rgb8
from pose.landmarks import NUM_LANDMARKS, SKELETON_EDGES, Landmark
from pose.measure import (
    DEFAULT_HEIGHT_CM,
    HEIGHT_RANGE_CM,
    MEASUREMENT_KEYS,
    check_height,
    ellipse_perimeter,
)
from pose.result import Measurements, PoseResult
from pose.smoothing import OneEuroFilter, OneEuroSettings
from pose.stream import PoseStream
from pose.visibility import missing_parts, require_visible

__all__ = [
    "BodyPartsOutOfFrame",
    "DEFAULT_HEIGHT_CM",
    "HEIGHT_RANGE_CM",
    "HeightOutOfRange",
    "InferenceSize",
    "Landmark",
    "LoadedImage",
    "MEASUREMENT_KEYS",
    "Measurements",
    "MediaPipeSolutionsBackend",
    "NUM_LANDMARKS",
    "NoPersonFound",
    "NotAnImage",
    "OneEuroFilter",
    "OneEuroSettings",
    "PoseBackend",
    "PoseError",
    "PoseEstimator",
    "PoseResult",
    "PoseStream",
    "RawPose",
    "SKELETON_EDGES",
    "check_height",
    "draw_landmarks",
    "ellipse_perimeter",
    "load_image",
    "missing_parts",
    "require_visible",
    "to_rgb8",
]
