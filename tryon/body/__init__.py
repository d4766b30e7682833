"""The body: a parametric mannequin, posed from a photo, and its collider.

- ``canonical_body()`` / ``build_body(measurements_cm)``: the mannequin in
  the rest A-pose (canonical body frame), same connectivity for every
  shape.
- ``body_girths_cm``: tape-measure girths of a body mesh.
- ``skin``: linear blend skinning.
"""

from tryon.body.errors import BadMeasurement, BodyError, PoseNotUsable
from tryon.body.measure import body_girths_cm
from tryon.body.model import BodyModel, build_body, canonical_body
from tryon.body.skinning import skin

__all__ = [
    "BadMeasurement",
    "BodyError",
    "BodyModel",
    "PoseNotUsable",
    "body_girths_cm",
    "build_body",
    "canonical_body",
    "skin",
]
