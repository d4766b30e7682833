"""The body collider against a simple reference: distances to the mesh."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import trimesh

from pose import PoseEstimator, load_image
from render import intrinsics_for_image
from tests.conftest import require_testdata
from tryon.body import BodyCollider, build_body, canonical_body, pose_body, skin

NEAR_M = 0.04  # test points lie up to this far off the surface, both sides
SIGN_MARGIN_M = 0.01  # signs are compared farther than this from the surface
MIN_SIGN_AGREEMENT = 0.97
MAX_MEDIAN_ERROR_M = 0.01


def _points_near(vertices, faces, count, seed):
    """Random points (count, 3) within NEAR_M of a mesh's surface."""
    mesh = trimesh.Trimesh(vertices, faces, process=False)
    points, face = trimesh.sample.sample_surface(mesh, count, seed=seed)
    offsets = np.random.default_rng(seed).uniform(-NEAR_M, NEAR_M, (count, 1))
    return points + offsets * mesh.face_normals[face]


def _winding_along_x(vertices, faces, points, chunk=100):
    """Winding number (P,) of a closed mesh around points: signed crossings
    of the ray from each point along +X (robust where the mesh overlaps
    itself, as a skinned mesh can at bent joints)."""
    corners = np.asarray(vertices, np.float64)[faces]  # (F, 3, 3)
    a, b, c = corners[:, 0], corners[:, 1], corners[:, 2]
    area = (b[:, 1] - a[:, 1]) * (c[:, 2] - a[:, 2]) - (c[:, 1] - a[:, 1]) * (
        b[:, 2] - a[:, 2]
    )  # (F,) the faces' shadows on the y-z plane, signed
    winding = np.zeros(len(points), dtype=int)
    for first in range(0, len(points), chunk):
        p = points[first : first + chunk, None, :]  # (P, 1, 3)
        with np.errstate(divide="ignore", invalid="ignore"):
            wb = (
                (p[..., 1] - a[:, 1]) * (c[:, 2] - a[:, 2])
                - (c[:, 1] - a[:, 1]) * (p[..., 2] - a[:, 2])
            ) / area
            wc = (
                (b[:, 1] - a[:, 1]) * (p[..., 2] - a[:, 2])
                - (p[..., 1] - a[:, 1]) * (b[:, 2] - a[:, 2])
            ) / area
        x = a[:, 0] + wb * (b[:, 0] - a[:, 0]) + wc * (c[:, 0] - a[:, 0])
        hit = (wb >= 0) & (wc >= 0) & (wb + wc <= 1) & (x > p[..., 0])
        winding[first : first + chunk] = (hit * np.sign(area)).sum(axis=1)
    return winding


def _reference(vertices, faces, points):
    """Signed distances (negative inside): trimesh's closest points, and
    inside-ness by the winding number along rays."""
    mesh = trimesh.Trimesh(np.asarray(vertices, np.float64), faces, process=False)
    _, distance, _ = trimesh.proximity.closest_point(mesh, points)
    return np.where(_winding_along_x(vertices, faces, points) > 0, -distance, distance)


def _compare(collider, vertices, faces, seed):
    points = _points_near(vertices, faces, 1500, seed)
    expected = _reference(vertices, faces, points)
    distance, normals = collider.query(torch.tensor(points, dtype=torch.float32))
    distance = distance.numpy()
    far = np.abs(expected) > SIGN_MARGIN_M
    agreement = np.mean(np.sign(distance[far]) == np.sign(expected[far]))
    error = np.median(np.abs(distance - expected))
    assert normals.shape == (len(points), 3)
    assert torch.allclose(normals.norm(dim=1), torch.ones(len(points)), atol=1e-4)
    return agreement, error


POSED_PHOTOS = [
    "000000000785.jpg",  # a skier: knees and elbows bent, turning
    "000000196141.jpg",  # a batter mid-swing, arms across the body
]


@pytest.fixture(scope="module")
def posed_bodies():
    """The posed body of each photo's person."""
    bodies = {}
    with PoseEstimator() as estimator:
        for name in POSED_PHOTOS:
            image = load_image(require_testdata("photos", "coco", name))
            result = estimator.estimate(image.rgb)
            intrinsics = intrinsics_for_image(*result.image_size).K
            body = build_body(result.measurements.values_cm)
            bodies[name] = pose_body(body, result, intrinsics)
    return bodies


def test_rest_collider_matches_the_mannequin():
    body = canonical_body()
    agreement, error = _compare(
        BodyCollider.from_body(body), body.vertices, body.faces, seed=1
    )
    assert agreement > 0.99
    assert error < 0.002


@pytest.mark.parametrize("name", POSED_PHOTOS)
def test_posed_collider_matches_the_posed_mesh(name, posed_bodies):
    posed = posed_bodies[name]
    collider = BodyCollider.from_posed(posed)
    agreement, error = _compare(collider, posed.vertices, posed.body.faces, seed=2)
    assert agreement > MIN_SIGN_AGREEMENT
    assert error < MAX_MEDIAN_ERROR_M


def test_posed_vertices_give_the_fast_collider(posed_bodies):
    posed = posed_bodies[POSED_PHOTOS[0]]
    collider = BodyCollider(posed.vertices, posed.body.faces)
    assert len(collider.field.bone_starts) == len(posed.body.joints)
    points = torch.tensor(posed.vertices[::50], dtype=torch.float32)
    distance, _ = collider.query(points)
    # the skinned vertices lie on it (but where skinning folds at joints)
    assert distance.abs().median().item() < 0.002
    assert (distance.abs() < 0.01).float().mean().item() > 0.97


def test_normals_point_out_of_the_body():
    body = canonical_body()
    mesh = trimesh.Trimesh(body.vertices, body.faces, process=False)
    points, face = trimesh.sample.sample_surface(mesh, 500, seed=3)
    outside = points + 0.01 * mesh.face_normals[face]
    _, normals = BodyCollider.from_body(body).query(
        torch.tensor(outside, dtype=torch.float32)
    )
    cosine = (normals.numpy() * mesh.face_normals[face]).sum(axis=1)
    assert np.median(cosine) > 0.95


def test_any_closed_mesh_is_one_rigid_piece():
    sphere = trimesh.creation.icosphere(subdivisions=3, radius=0.3)
    collider = BodyCollider(sphere.vertices, sphere.faces)
    # near the surface inside, near outside, beyond the grid, the centre
    points = torch.tensor(
        [
            [0.0, 0.0, 0.28],
            [0.25, 0.15, 0.0],
            [0.0, 0.31, 0.0],
            [0.0, 0.5, 0.0],
            [0.0, 0.0, 0.0],
        ]
    )
    distance, normals = collider.query(points)
    expected = np.linalg.norm(points.numpy(), axis=1) - 0.3
    # the icosphere's flat faces lie inside the true sphere by up to 5 mm
    assert np.allclose(distance.numpy()[:3], expected[:3], atol=0.006)
    # far from the surface the distance is good to about a grid cell
    assert np.allclose(distance.numpy()[3:], expected[3:], atol=0.015)
    assert np.allclose(normals[3].numpy(), [0.0, 1.0, 0.0], atol=0.05)


def test_transforms_of_the_wrong_shape_are_refused():
    body = canonical_body()
    with pytest.raises(ValueError) as caught:
        BodyCollider.from_body(body, np.eye(4)[None])
    assert str(caught.value) == (
        "joint_transforms must have shape (19, 4, 4), got (1, 4, 4)"
    )


# A very broad body: the side of its chest lies nearer the rest pose's
# upper arm than the spine, yet does not move with the arm.
VERY_BROAD = {
    "height": 165.0,
    "chest_girth": 130.0,
    "waist_girth": 124.0,
    "hip_girth": 126.0,
}


def _arms_turned(body, degrees):
    """Transforms (J, 4, 4): both arms turned up (positive) or down about
    their shoulder joints in the body's front plane, the rest still."""
    names = list(body.joint_names)
    transforms = np.tile(np.eye(4), (len(names), 1, 1))
    for side, sign in (("left", 1.0), ("right", -1.0)):
        angle = np.radians(sign * degrees)
        rotation = np.array(
            [
                [np.cos(angle), -np.sin(angle), 0.0],
                [np.sin(angle), np.cos(angle), 0.0],
                [0.0, 0.0, 1.0],
            ]
        )
        pivot = body.joints[names.index(f"{side}_shoulder")].astype(np.float64)
        for bone in ("shoulder", "elbow", "wrist"):
            transforms[names.index(f"{side}_{bone}"), :3, :3] = rotation
            transforms[names.index(f"{side}_{bone}"), :3, 3] = pivot - rotation @ pivot
    return transforms


@pytest.mark.parametrize("degrees", [90.0, -40.0])  # arms up; arms down
def test_torso_beside_a_turned_arm_stays_in_the_collider(degrees):
    body = build_body(VERY_BROAD)
    transforms = _arms_turned(body, degrees)
    posed = skin(body.vertices, body.skin_weights, transforms)
    collider = BodyCollider.from_body(body, transforms)
    agreement, error = _compare(collider, posed, body.faces, seed=4)
    assert agreement > 0.99
    assert error < 0.002
