"""Skin weights: turning a limb moves the limb, not the torso beside it.

Reference: each limb's bones turned rigidly about the limb's root joint
(every other bone still), skinned with the body's weights, against the
rest vertices (torso) and the rigidly turned rest vertices (limb).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from tryon.body import build_body, canonical_body, skin
from tryon.body.mannequin import JOINT_NAMES, LEFT_ARM, LEFT_LEG, RIGHT_ARM, RIGHT_LEG
from tryon.body.mannequin import TORSO as TORSO_PART

# Torso vertices farther than this from the limb's junction are checked.
JUNCTION_MARGIN_M = 0.05
# ... and may move at most this far when the limb turns.
TORSO_STILL_M = 0.01
# Limb vertices farther than this from the limb's root joint, along the
# limb, must move with the limb's bones to within LIMB_RIGID_M.
LIMB_REACH_M = 0.10
LIMB_RIGID_M = 0.001
# Largest change of any bone's weight along one mesh edge (the junction
# blends take four rings or more).
MAX_WEIGHT_STEP = 0.3

SHAPES = {
    "canonical": None,
    # tall and broad: the chest's side lies near the A-pose upper arm
    "broad": {
        "height": 188.0,
        "chest_girth": 112.0,
        "waist_girth": 102.0,
        "hip_girth": 110.0,
    },
    # very broad and short
    "very_broad": {
        "height": 165.0,
        "chest_girth": 130.0,
        "waist_girth": 124.0,
        "hip_girth": 126.0,
    },
    # short and slim
    "slim": {
        "height": 154.0,
        "chest_girth": 82.0,
        "waist_girth": 64.0,
        "hip_girth": 90.0,
        "chest_width": 27.0,
    },
}
ARMS = (("left", LEFT_ARM, 1.0), ("right", RIGHT_ARM, -1.0))
LEGS = (("left", LEFT_LEG), ("right", RIGHT_LEG))
_J = {name: index for index, name in enumerate(JOINT_NAMES)}


@pytest.fixture(scope="module")
def bodies():
    return {
        name: canonical_body() if measurements is None else build_body(measurements)
        for name, measurements in SHAPES.items()
    }


def _limb_turned(body, bones, rotation):
    """Transforms (J, 4, 4): ``bones`` turned by ``rotation`` (3, 3) about
    the first one's joint, the other bones still."""
    transforms = np.tile(np.eye(4), (len(body.joints), 1, 1))
    pivot = body.joints[_J[bones[0]]].astype(np.float64)
    for bone in bones:
        transforms[_J[bone], :3, :3] = rotation
        transforms[_J[bone], :3, 3] = pivot - rotation @ pivot
    return transforms


def _moves(body, transforms):
    """Displacement (V,) of each vertex, and the skinned vertices (V, 3)."""
    rest = body.vertices.astype(np.float64)
    moved = skin(rest, body.skin_weights, transforms).astype(np.float64)
    return np.linalg.norm(moved - rest, axis=1), moved


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("side, part, sign", ARMS)
@pytest.mark.parametrize(
    "axis",
    [
        (0.0, 0.0, 1.0),  # raised and lowered sideways
        (1.0, 0.0, 0.0),  # swung forwards and backwards
    ],
)
@pytest.mark.parametrize("degrees", [40.0, -40.0])
def test_turning_an_arm_leaves_the_torso_below_the_armpit(
    bodies, shape, side, part, sign, axis, degrees
):
    body = bodies[shape]
    bones = (f"{side}_shoulder", f"{side}_elbow", f"{side}_wrist")
    rotation = Rotation.from_rotvec(
        sign * np.radians(degrees) * np.asarray(axis)
    ).as_matrix()
    transforms = _limb_turned(body, bones, rotation)
    distance, moved = _moves(body, transforms)

    shoulder = body.joints[_J[bones[0]]].astype(np.float64)
    vertices = body.vertices.astype(np.float64)
    torso = (body.parts == TORSO_PART) & (
        vertices[:, 1] < shoulder[1] - JUNCTION_MARGIN_M
    )
    assert distance[torso].max() < TORSO_STILL_M

    direction = body.bone_ends[_J[bones[0]]] - shoulder
    along = (vertices - shoulder) @ (direction / np.linalg.norm(direction))
    arm = (body.parts == part) & (along > LIMB_REACH_M)
    rigid = vertices[arm] @ rotation.T + transforms[_J[bones[0]], :3, 3]
    assert np.abs(moved[arm] - rigid).max() < LIMB_RIGID_M
    assert distance[arm].max() > 0.1  # the hand really moved


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("side, part", LEGS)
@pytest.mark.parametrize("degrees", [30.0, -30.0])  # forwards, backwards
def test_flexing_a_hip_leaves_the_lower_torso_and_buttocks(
    bodies, shape, side, part, degrees
):
    body = bodies[shape]
    bones = (f"{side}_hip", f"{side}_knee", f"{side}_ankle")
    rotation = Rotation.from_rotvec([-np.radians(degrees), 0.0, 0.0]).as_matrix()
    transforms = _limb_turned(body, bones, rotation)
    distance, moved = _moves(body, transforms)

    crotch = body.anchors["crotch"]
    vertices = body.vertices.astype(np.float64)
    torso = (body.parts == TORSO_PART) & (vertices[:, 1] > crotch + JUNCTION_MARGIN_M)
    assert distance[torso].max() < TORSO_STILL_M

    leg = (body.parts == part) & (vertices[:, 1] < crotch - LIMB_REACH_M)
    hip = body.joints[_J[bones[0]]].astype(np.float64)
    rigid = (vertices[leg] - hip) @ rotation.T + hip
    assert np.abs(moved[leg] - rigid).max() < LIMB_RIGID_M
    assert distance[leg].max() > 0.2  # the foot really moved


@pytest.mark.parametrize("shape", SHAPES)
def test_skin_weights_are_smooth_partitions(bodies, shape):
    body = bodies[shape]
    weights = body.skin_weights.astype(np.float64)  # (V, J)
    assert np.allclose(weights.sum(axis=1), 1.0, atol=1e-5)
    assert (weights >= 0.0).all()

    faces = body.faces
    edges = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    steps = np.abs(weights[edges[:, 0]] - weights[edges[:, 1]]).max(axis=1)  # (E,)
    assert steps.max() < MAX_WEIGHT_STEP


@pytest.mark.parametrize("shape", SHAPES)
def test_torso_is_moved_by_no_limb_bone(bodies, shape):
    body = bodies[shape]
    limb_bones = [
        _J[f"{side}_{bone}"]
        for side in ("left", "right")
        for bone in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")
    ]
    torso = body.parts == TORSO_PART
    assert body.skin_weights[np.ix_(torso, limb_bones)].max() == 0.0
