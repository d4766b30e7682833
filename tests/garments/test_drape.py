"""Draping: carry, skin, settle on a MakeHuman body with a mesh collider."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import trimesh

from garments.binding import bind
from garments.cloth import FABRICS, SolverSettings, penetration_ratio
from garments.colliders import MeshCollider
from garments.drape import (
    DrapeBody,
    DrapeSettings,
    drape,
    garment_skin_weights,
    hold_vertices,
    skin_points,
    unskin_points,
)
from tests.conftest import require_testdata

DECIMETRE = 0.1
# Few substeps keep the suite fast; the benchmark runs the full settle.
QUICK = DrapeSettings(solver=SolverSettings(max_iterations=40, min_iterations=20))


def _load(*parts: str) -> trimesh.Trimesh:
    mesh = trimesh.load(require_testdata(*parts), force="mesh", process=False)
    mesh.merge_vertices(merge_tex=True, merge_norm=True)
    return trimesh.Trimesh(mesh.vertices * DECIMETRE, mesh.faces, process=False)


def _top_piece(mesh: trimesh.Trimesh) -> trimesh.Trimesh:
    """The connected piece that reaches highest (the top of an outfit)."""
    pieces = mesh.split(only_watertight=False)
    return max(pieces, key=lambda piece: piece.vertices[:, 1].max())


@pytest.fixture(scope="module")
def body() -> trimesh.Trimesh:
    return _load("bodies", "female_generic.obj")


@pytest.fixture(scope="module")
def collider(body) -> MeshCollider:
    return MeshCollider(body.vertices, body.faces, spacing=0.01)


@pytest.fixture(scope="module")
def shirt() -> trimesh.Trimesh:
    return _top_piece(_load("garments", "makehuman", "female_casualsuit02.obj"))


@pytest.fixture(scope="module")
def rest_drape(shirt, body, collider):
    binding = bind(shirt.vertices, body.vertices, body.faces)
    return drape(
        shirt.vertices,
        shirt.faces,
        FABRICS["jersey"],
        binding,
        DrapeBody.at_rest(body.vertices, collider),
        anchor_vertices=hold_vertices(shirt.vertices, shirt.faces),
        settings=QUICK,
    )


def _rigid(angle: float, axis, shift) -> np.ndarray:
    transform = trimesh.transformations.rotation_matrix(angle, axis)
    transform[:3, 3] = shift
    return transform


class _MovedCollider:
    """A collider seen through a rigid transform (the body moved as a whole)."""

    def __init__(self, collider, transform: np.ndarray) -> None:
        self.collider = collider
        self.rotation = torch.tensor(transform[:3, :3], dtype=torch.float32)
        self.shift = torch.tensor(transform[:3, 3], dtype=torch.float32)

    def query(self, points):
        local = (points - self.shift) @ self.rotation  # back to rest
        distance, normals = self.collider.query(local)
        return distance, normals @ self.rotation.T


def test_skin_and_unskin_are_inverse():
    rng = np.random.default_rng(1)
    transforms = np.stack(
        [
            _rigid(rng.uniform(-1, 1), rng.normal(size=3), rng.normal(size=3))
            for _ in range(4)
        ]
    )
    weights = rng.random((50, 4))
    weights /= weights.sum(axis=1, keepdims=True)
    points = rng.normal(size=(50, 3))
    posed = skin_points(points, weights, transforms)
    np.testing.assert_allclose(
        unskin_points(posed, weights, transforms), points, atol=1e-9
    )


def test_one_joint_skinning_is_the_rigid_transform():
    transform = _rigid(0.7, [0, 1, 0], [1.0, 2.0, 3.0])
    points = np.random.default_rng(2).normal(size=(10, 3))
    posed = skin_points(points, np.ones((10, 1)), transform[None])
    np.testing.assert_allclose(posed, points @ transform[:3, :3].T + [1, 2, 3])


def test_garment_weights_are_normalised(shirt, body):
    binding = bind(shirt.vertices, body.vertices, body.faces)
    rng = np.random.default_rng(0)
    weights = rng.random((len(body.vertices), 3)) ** 8
    weights /= weights.sum(axis=1, keepdims=True)
    garment = garment_skin_weights(binding, weights, shirt.faces, smoothing=2)
    assert garment.shape == (len(shirt.vertices), 3)
    np.testing.assert_allclose(garment.sum(axis=1), 1.0)


def test_hold_vertices_are_the_neckline(shirt):
    held = hold_vertices(shirt.vertices, shirt.faces)
    top = shirt.vertices[:, 1].max()
    assert held.sum() > 10
    assert np.all(shirt.vertices[held, 1] >= top - 0.03)


def test_drape_stays_out_of_the_body(rest_drape, collider):
    # Acceptance: under 1% of the garment vertices inside the body.
    assert penetration_ratio(rest_drape.vertices, collider) < 0.01
    assert rest_drape.settle.iterations >= 20
    assert set(rest_drape.timings_ms) >= {"carry", "skin", "settle", "total"}


def test_drape_at_rest_keeps_the_garment_in_place(rest_drape, shirt):
    # A garment that fits the body it was made on barely moves.
    moved = np.linalg.norm(rest_drape.vertices - shirt.vertices, axis=1)
    assert np.median(moved) < 0.02
    assert np.percentile(np.abs(rest_drape.strain), 50) < 0.02


def test_drape_on_a_moved_body_follows_it(rest_drape, shirt, body, collider):
    # The same body turned and shifted as a whole: gravity along its own
    # down, so the drape is the rest drape moved the same way.
    transform = _rigid(0.5, [0, 1, 0.3], [0.2, -0.1, 2.0])
    moved_body = DrapeBody(
        rest_vertices=body.vertices,
        skin_weights=np.ones((len(body.vertices), 1)),
        joint_transforms=transform[None],
        collider=_MovedCollider(collider, transform),
        down=transform[:3, :3] @ np.array([0.0, -1.0, 0.0]),
    )
    binding = bind(shirt.vertices, body.vertices, body.faces)
    result = drape(
        shirt.vertices,
        shirt.faces,
        FABRICS["jersey"],
        binding,
        moved_body,
        anchor_vertices=hold_vertices(shirt.vertices, shirt.faces),
        settings=QUICK,
    )
    expected = rest_drape.vertices @ transform[:3, :3].T + transform[:3, 3]
    error = np.linalg.norm(result.vertices - expected, axis=1)
    assert np.median(error) < 0.005
    back = np.linalg.norm(result.rest_frame_vertices - rest_drape.vertices, axis=1)
    assert np.median(back) < 0.005


def test_warm_start_runs_few_iterations(rest_drape, shirt, body, collider):
    binding = bind(shirt.vertices, body.vertices, body.faces)
    warm = drape(
        shirt.vertices,
        shirt.faces,
        FABRICS["jersey"],
        binding,
        DrapeBody.at_rest(body.vertices, collider),
        previous=rest_drape,
        settings=QUICK,
    )
    assert warm.settle.iterations <= QUICK.warm_iterations
    # The previous frame's solver is reused (no construction per frame).
    assert warm.solver is rest_drape.solver
    assert penetration_ratio(warm.vertices, collider) < 0.01


def test_binding_must_match_the_garment(shirt, body, collider):
    binding = bind(shirt.vertices[:10], body.vertices, body.faces)
    with pytest.raises(ValueError) as caught:
        drape(
            shirt.vertices,
            shirt.faces,
            FABRICS["jersey"],
            binding,
            DrapeBody.at_rest(body.vertices, collider),
        )
    assert str(caught.value) == (
        f"binding must bind the {len(shirt.vertices)} garment vertices, "
        "got 10 bound points"
    )


def test_linearised_collider_tracks_a_sphere():
    # Points on a shell 1 cm outside a 10 cm ball, nudged by 2 mm (inside
    # the reach: plane approximation) and then by 3 cm (re-queried).
    from garments.colliders import SphereCollider
    from garments.drape import LinearisedCollider

    sphere = SphereCollider((0.0, 0.0, 0.0), 0.1)
    rng = np.random.default_rng(4)
    directions = rng.normal(size=(200, 3))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    points = torch.tensor(directions * 0.11, dtype=torch.float32)
    linear = LinearisedCollider(sphere, reach=0.006, period=4)
    linear.query(points)
    for step in (0.002, 0.03):
        nudge = rng.normal(size=(200, 3))
        nudge *= step / np.linalg.norm(nudge, axis=1, keepdims=True)
        moved = points + torch.tensor(nudge, dtype=torch.float32)
        approximate, _ = linear.query(moved)
        exact, _ = sphere.query(moved)
        # Plane error ~ step^2 / (2 r) within the reach; points beyond it
        # are queried again (a move beyond three reaches forces a query).
        error = torch.abs(approximate - exact)
        assert error.max() < 0.0005
        if step > 0.006:
            assert error.max() < 1e-6
