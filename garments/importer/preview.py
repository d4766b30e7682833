"""Previews of a garment on the mannequin: a GLB scene or a PNG picture.

The GLB is in the canonical body frame, in metres, with two nodes named
``garment`` and ``body``. The PNG is a standalone offscreen pyrender
picture from the front (pyrender is imported only when a PNG is asked for;
it needs ``PYOPENGL_PLATFORM=egl`` on a headless machine).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np

__all__ = ["garment_trimesh", "write_preview"]

logger = logging.getLogger(__name__)

BODY_COLOUR = (200, 196, 190, 255)
PNG_SIZE = (512, 768)


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def garment_trimesh(
    vertices: np.ndarray,
    faces: np.ndarray,
    uvs: np.ndarray | None,
    texture: np.ndarray | None,
    colour: str,
):
    """A textured (or plain-coloured) ``trimesh.Trimesh`` of a render mesh.

    Args:
        vertices: (R, 3) float, metres, canonical frame.
        faces: (G, 3) int.
        uvs: (R, 2) float texture coordinates, or None.
        texture: (H, W, 3) uint8, or None for the plain colour.
        colour: ``#rrggbb`` used without a texture.
    """
    import trimesh
    from PIL import Image

    mesh = trimesh.Trimesh(vertices, faces, process=False)
    if texture is not None and uvs is not None:
        material = trimesh.visual.material.PBRMaterial(
            baseColorTexture=Image.fromarray(texture),
            doubleSided=True,
            roughnessFactor=0.9,
            metallicFactor=0.0,
        )
        mesh.visual = trimesh.visual.TextureVisuals(uv=uvs, material=material)
    else:
        mesh.visual.face_colors = (*_rgb(colour), 255)
    return mesh


def _scene(garment, body_vertices: np.ndarray, body_faces: np.ndarray):
    import trimesh

    body = trimesh.Trimesh(body_vertices, body_faces, process=False)
    body.visual.face_colors = BODY_COLOUR
    scene = trimesh.Scene()
    scene.add_geometry(body, node_name="body", geom_name="body")
    scene.add_geometry(garment, node_name="garment", geom_name="garment")
    return scene


def write_preview(
    out_path: Path,
    vertices: np.ndarray,
    faces: np.ndarray,
    uvs: np.ndarray | None,
    texture: np.ndarray | None,
    colour: str,
    body_vertices: np.ndarray,
    body_faces: np.ndarray,
) -> None:
    """Write the garment on the mannequin to ``out_path`` (.glb or .png).

    Args:
        out_path: the file; its suffix chooses the format.
        vertices, faces, uvs, texture, colour: the garment's render mesh
            (see :func:`garment_trimesh`), canonical frame, metres.
        body_vertices: (V, 3) mannequin vertices, canonical frame, metres.
        body_faces: (F, 3) mannequin faces.

    Raises:
        ValueError: the suffix is neither .glb nor .png.
    """
    garment = garment_trimesh(vertices, faces, uvs, texture, colour)
    suffix = out_path.suffix.lower()
    if suffix == ".glb":
        data = _scene(garment, body_vertices, body_faces).export(file_type="glb")
        out_path.write_bytes(data)
    elif suffix == ".png":
        _write_png(out_path, garment, body_vertices, body_faces)
    else:
        raise ValueError(f"out_path must end in .glb or .png, got {out_path.name}")
    logger.info("wrote preview %s", out_path)


def _write_png(out_path: Path, garment, body_vertices, body_faces) -> None:
    os.environ.setdefault("PYOPENGL_PLATFORM", "egl")
    import pyrender
    import trimesh
    from PIL import Image

    scene = pyrender.Scene(bg_color=[1.0, 1.0, 1.0, 1.0], ambient_light=[0.35] * 3)
    body = trimesh.Trimesh(body_vertices, body_faces, process=False)
    skin = pyrender.MetallicRoughnessMaterial(
        baseColorFactor=np.array(BODY_COLOUR) / 255.0, roughnessFactor=0.8
    )
    scene.add(pyrender.Mesh.from_trimesh(body, material=skin))
    scene.add(pyrender.Mesh.from_trimesh(garment))
    low, high = body.bounds
    centre = (low + high) / 2
    width, height = PNG_SIZE
    half = (high[1] - low[1]) * 0.55
    camera = pyrender.OrthographicCamera(xmag=half * width / height, ymag=half)
    pose = np.eye(4)
    pose[:3, 3] = centre + np.array([0.0, 0.0, 3.0])
    scene.add(camera, pose=pose)
    light = np.eye(4)
    light[:3, :3] = trimesh.transformations.rotation_matrix(-0.5, [1, 1, 0])[:3, :3]
    scene.add(pyrender.DirectionalLight(intensity=3.0), pose=light)
    renderer = pyrender.OffscreenRenderer(width, height)
    try:
        colour, _ = renderer.render(scene)
    finally:
        renderer.delete()
    Image.fromarray(np.ascontiguousarray(colour)).save(out_path)
