"""The solver's per-mesh cache, the edge finder and the linearised collider."""

from __future__ import annotations

import numpy as np
import torch

from garments.cloth import FABRICS, ClothSolver, SolverSettings, mesh_edges
from garments.cloth import solver as solver_module
from garments.colliders import SphereCollider
from garments.drape import LinearisedCollider
from tests.garments.test_cloth import square_cloth

SETTINGS = SolverSettings(max_iterations=100, min_iterations=100)
# The plane of a linearised sphere query is off by at most reach^2 / (2 R).
SPHERE_RADIUS_M = 0.3
REACH_M = 0.006


def settled(solver: ClothSolver) -> np.ndarray:
    return solver.settle().vertices


def test_solvers_of_one_mesh_share_constraints_but_not_pins():
    vertices, faces, ids = square_cloth(8, 0.3, 1.0)
    ClothSolver.clear_cache()
    fabric = FABRICS["jersey"]
    first = ClothSolver(vertices, faces, fabric, settings=SETTINGS)
    alone = settled(first)

    # a pinned solver of the same mesh reuses the cached constraints ...
    pinned = np.zeros(len(vertices), dtype=bool)
    pinned[ids[0, 0]] = True
    second = ClothSolver(vertices, faces, fabric, pinned=pinned, settings=SETTINGS)
    assert second.stretch.colours[0][0] is first.stretch.colours[0][0]
    settled(second)

    # ... and leaves the next unpinned solver as it would have been
    third = ClothSolver(vertices, faces, fabric, settings=SETTINGS)
    np.testing.assert_array_equal(settled(third), alone)
    assert len(solver_module._TEMPLATES) == 1


def test_another_rest_shape_or_fabric_is_not_served_from_the_cache():
    vertices, faces, _ = square_cloth(6, 0.3, 1.0)
    small = ClothSolver(vertices, faces, FABRICS["jersey"], settings=SETTINGS)
    big = ClothSolver(vertices, faces, FABRICS["jersey"], rest_vertices=vertices * 1.1)
    denim = ClothSolver(vertices, faces, FABRICS["denim"], settings=SETTINGS)
    np.testing.assert_allclose(big.rest_lengths, small.rest_lengths * 1.1, rtol=1e-5)
    assert not np.allclose(denim.masses.numpy(), small.masses.numpy())


def test_mesh_edges_match_a_row_unique_reference():
    rng = np.random.default_rng(3)
    faces = rng.integers(0, 40, size=(60, 3))
    pairs = np.sort(faces[:, [0, 1, 1, 2, 2, 0]].reshape(-1, 2), axis=1)
    np.testing.assert_array_equal(mesh_edges(faces), np.unique(pairs, axis=0))


def test_linearised_collider_matches_the_sphere_within_the_plane_error():
    sphere = SphereCollider((0.0, 0.0, 0.0), SPHERE_RADIUS_M)
    collider = LinearisedCollider(sphere, reach=REACH_M)
    rng = np.random.default_rng(0)
    directions = rng.normal(size=(200, 3))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    start = torch.as_tensor(directions * (SPHERE_RADIUS_M + 0.01), dtype=torch.float32)
    collider.query_columns(start.t().contiguous())

    # moved by under the reach: answered from the planes
    moved = start + torch.as_tensor(
        rng.uniform(-0.003, 0.003, size=(200, 3)), dtype=torch.float32
    )
    distance, normals = collider.query_columns(moved.t().contiguous())
    exact, _ = sphere.query(moved)
    tolerance = REACH_M**2 / SPHERE_RADIUS_M + 1e-6
    assert float((distance - exact).abs().max()) < tolerance
    row_distance, row_normals = collider.query(moved)
    torch.testing.assert_close(row_distance, distance)
    torch.testing.assert_close(row_normals, normals.t())
