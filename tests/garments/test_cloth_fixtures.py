"""Shared, expensive set-up for the cloth and collider suites.

The MakeHuman meshes of the shared test data are loaded once per session,
converted to metres, and their bodies turned into mesh colliders once.
Import the fixtures from here into a test module to use them.
"""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from garments.colliders import MeshCollider
from tests.conftest import require_testdata

DECIMETRE = 0.1
# Vertices of a MakeHuman outfit closer than this are one vertex (the
# files split vertices along UV seams and leave near-duplicates), metres.
WELD_DIGITS = 3

OUTFITS = {
    "male_casualsuit04": "male",
    "female_casualsuit02": "female",
    "female_elegantsuit01": "female",
    "female_sportsuit01": "female",
}


def load_makehuman(*parts: str, weld: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Vertices (V, 3) in metres and triangles (F, 3) of a MakeHuman OBJ.

    Quads are split into triangles by the loader; vertices split along UV
    seams are merged; with ``weld``, near-duplicates too (to a millimetre).
    Degenerate triangles are dropped.
    """
    mesh = trimesh.load(require_testdata(*parts), process=False)
    mesh.apply_scale(DECIMETRE)
    digits = WELD_DIGITS if weld else None
    mesh.merge_vertices(merge_tex=True, merge_norm=True, digits_vertex=digits)
    mesh.update_faces(mesh.nondegenerate_faces(height=1e-5))
    mesh.remove_unreferenced_vertices()
    return np.array(mesh.vertices), np.array(mesh.faces)


@pytest.fixture(scope="session")
def makehuman_bodies() -> dict[str, tuple[np.ndarray, np.ndarray, MeshCollider]]:
    """Per body name ("female", "male"): vertices, faces and a collider."""
    bodies = {}
    for name in ("female", "male"):
        vertices, faces = load_makehuman("bodies", f"{name}_generic.obj", weld=False)
        bodies[name] = (vertices, faces, MeshCollider(vertices, faces))
    return bodies
