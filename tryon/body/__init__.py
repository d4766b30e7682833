"""The body: a parametric mannequin, posed from a photo, and its collider.

- ``canonical_body()`` / ``build_body(measurements_cm)``: the mannequin in
  the rest A-pose (canonical body frame), same connectivity for every
  shape.
- ``body_girths_cm``: tape-measure girths of a body mesh.
- ``pose_body``: the mannequin posed as a photo's person, in its camera.
- ``BodyCollider``: signed distance to a (posed) body for the cloth.
- ``skin``: linear blend skinning.

Example:
    >>> result = pose.PoseEstimator().estimate(photo_rgb, height_cm=172)
    >>> body = build_body(result.measurements.values_cm)  # cached per shape
    >>> posed = pose_body(body, result, intrinsics.K)  # about 5 ms
    >>> collider = BodyCollider.from_posed(posed)  # free once the body's
    >>> distance, normals = collider.query(points)  # field is sampled

The first collider of a new body shape samples its rest distance field
(about 0.3 s of CPU); every pose of that body afterwards costs nothing
more. ``BodyCollider(posed.vertices, faces)`` and
``BodyCollider(body.vertices, faces)`` recognise the body's own arrays
and take the same fast path.
"""

from tryon.body.collider import BodyCollider, RestField, rest_field
from tryon.body.errors import BadMeasurement, BodyError, PoseNotUsable
from tryon.body.measure import body_girths_cm
from tryon.body.model import BodyModel, build_body, canonical_body
from tryon.body.posing import PosedBody, pose_body, rest_landmarks
from tryon.body.skinning import skin

__all__ = [
    "BadMeasurement",
    "BodyCollider",
    "BodyError",
    "BodyModel",
    "PoseNotUsable",
    "PosedBody",
    "RestField",
    "body_girths_cm",
    "build_body",
    "canonical_body",
    "pose_body",
    "rest_field",
    "rest_landmarks",
    "skin",
]
