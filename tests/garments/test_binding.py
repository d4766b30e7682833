"""Binding garment points to a body surface and carrying them to new shapes."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from garments.binding import Binding, bind, closest_points_on_mesh
from tests.conftest import require_testdata

# MakeHuman meshes are in decimetres.
DECIMETRE = 0.1
# Round-trip tolerance, metres.
ROUND_TRIP_M = 1e-3


def _load(*parts: str) -> trimesh.Trimesh:
    mesh = trimesh.load(require_testdata(*parts), force="mesh", process=False)
    mesh.merge_vertices(merge_tex=True, merge_norm=True)
    return trimesh.Trimesh(mesh.vertices * DECIMETRE, mesh.faces, process=False)


@pytest.fixture(scope="module")
def body() -> trimesh.Trimesh:
    return _load("bodies", "male_generic.obj")


@pytest.fixture(scope="module")
def shirt() -> trimesh.Trimesh:
    return _load("garments", "makehuman", "male_casualsuit04.obj")


@pytest.fixture(scope="module")
def binding(shirt, body) -> Binding:
    return bind(shirt.vertices, body.vertices, body.faces)


def test_closest_points_match_trimesh(body):
    # Random points around the body against trimesh's exact query.
    rng = np.random.default_rng(3)
    points = rng.uniform(body.bounds[0], body.bounds[1], size=(400, 3))
    _, _, distance = closest_points_on_mesh(points, body.vertices, body.faces)
    _, reference, _ = trimesh.proximity.closest_point(body, points)
    np.testing.assert_allclose(distance, reference, atol=1e-6)


def test_round_trip_on_the_same_body(binding, shirt, body):
    carried = binding.apply(body.vertices)
    assert np.abs(carried - shirt.vertices).max() < ROUND_TRIP_M


def test_garment_sits_outside_the_body(binding):
    # MakeHuman outfits are modelled over the body: offsets mostly positive.
    assert np.mean(binding.normal_offset > 0) > 0.95


@pytest.mark.parametrize("scale", [0.9, 1.1])
def test_scaled_body_carries_the_garment(binding, shirt, body, scale):
    # Scaling the body about the origin moves each garment point like the
    # surface point under it, keeping the offset in metres.
    carried = binding.apply(body.vertices * scale)
    expected = shirt.vertices * scale
    error = np.linalg.norm(carried - expected, axis=1)
    offset = np.linalg.norm(binding.offsets, axis=1)
    # Uniform scaling keeps the frames, so only the offset is not scaled.
    assert np.all(error <= offset * abs(scale - 1) + ROUND_TRIP_M)


def test_translated_body_moves_the_garment(binding, shirt, body):
    shift = np.array([0.1, -0.2, 0.3])
    carried = binding.apply(body.vertices + shift)
    np.testing.assert_allclose(carried, shirt.vertices + shift, atol=ROUND_TRIP_M)


def test_interpolate_reproduces_linear_fields(binding, shirt, body):
    # A linear field of the body vertices, interpolated, is that field at
    # the closest surface point: within the offset of the garment point.
    field = body.vertices @ np.array([[1.0], [2.0], [-1.0]])  # (V, 1)
    values = binding.interpolate(field)
    assert values.shape == (len(shirt.vertices), 1)
    surface = shirt.vertices @ np.array([1.0, 2.0, -1.0])
    slack = np.linalg.norm(binding.offsets, axis=1) * np.sqrt(6.0) + 1e-6
    assert np.all(np.abs(values[:, 0] - surface) <= slack)


def test_interpolated_weights_sum_to_one(binding, body):
    rng = np.random.default_rng(0)
    weights = rng.random((len(body.vertices), 5))
    weights /= weights.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(binding.interpolate(weights).sum(axis=1), 1.0)


def test_bad_shapes_are_refused(body):
    with pytest.raises(
        ValueError, match=r"points must have shape \(n, 3\), got \(4,\)"
    ):
        bind(np.zeros(4), body.vertices, body.faces)


def test_normal_offsets_alone_are_accepted(binding, body):
    # The form a stored asset keeps: signed distance along the normal only.
    stored = Binding(
        face_index=binding.face_index.astype(np.int32),
        barycentrics=binding.barycentrics.astype(np.float32),
        offsets=binding.normal_offset.astype(np.float32),
        body_faces=body.faces,
    )
    assert stored.offsets.shape == (len(binding.face_index), 3)
    carried = stored.apply(body.vertices)
    exact = binding.apply(body.vertices)
    tangential = np.linalg.norm(binding.offsets[:, :2], axis=1)
    error = np.linalg.norm(carried - exact, axis=1)
    assert np.all(error <= tangential + 1e-4)


def _upright_cylinder(radius: float) -> trimesh.Trimesh:
    cylinder = trimesh.creation.cylinder(radius=radius, height=1.0, sections=128)
    cylinder.apply_transform(
        trimesh.transformations.rotation_matrix(-np.pi / 2, [1, 0, 0])
    )
    return cylinder


@pytest.mark.parametrize(
    ("new_radius", "expected_radius"),
    [
        (0.17, 0.20),  # bigger body, still inside the garment: keeps its size
        (0.12, 0.20),  # smaller body: the garment keeps its size too
        (0.25, 0.25 + 0.002),  # body bigger than the garment: stretched over
    ],
)
def test_carry_keeps_the_garment_girth(new_radius, expected_radius):
    body = _upright_cylinder(0.15)
    angles = np.linspace(0, 2 * np.pi, 64, endpoint=False)
    ring = np.stack(
        [0.2 * np.cos(angles), np.zeros_like(angles), 0.2 * np.sin(angles)], axis=1
    )
    binding = bind(ring, body.vertices, body.faces)
    # Same topology, another radius.
    moved = body.vertices.copy()
    moved[:, [0, 2]] *= new_radius / 0.15
    carried = binding.carry(moved, clearance=0.002)
    radius = np.linalg.norm(carried[:, [0, 2]], axis=1)
    np.testing.assert_allclose(radius, expected_radius, atol=1e-3)
    np.testing.assert_allclose(carried[:, 1], 0.0, atol=1e-6)
