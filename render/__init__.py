"""Camera model, offscreen renderer, compositing and fit-map colours.

pyrender (and with it OpenGL) is imported only when a :class:`Renderer` is
made, so this package imports quickly and on machines without a display.

Frames: meshes come in the OpenCV camera frame (x right, y down, z
forward, metres); pixels use the continuous convention ((0, 0) is the
top-left corner of the image). The one conversion to OpenGL is in
:mod:`render.camera`.

Example, one photo try-on (``photo`` (H, W, 3) uint8, ``mask`` (H, W)
float 0..1, the draped garment and the posed body in the camera frame):

    >>> intrinsics = intrinsics_for_image(width, height, focal_length_35mm)
    >>> renderer = Renderer(width, height)  # keep it: it stays warm
    >>> layers = renderer.render(
    ...     GarmentMesh(vertices, faces, uvs),
    ...     material_for("#e07a5f", "jersey"),
    ...     intrinsics.K,
    ...     body_vertices,
    ...     body_faces,
    ...     estimate_lighting(photo, mask),
    ... )
    >>> result = composite(photo, layers, mask)
    >>> result.picture, result.garment_mask, result.person_uncovered_ratio

Fit map: ``GarmentMesh(vertices, faces, vertex_colours=strain_colours(
strain, fabric.strain_limit))`` with ``Material(base_colour=(1, 1, 1))``,
then ``draw_legend(picture, fabric.strain_limit)``.
"""

from render.camera import (
    OPENGL_FROM_OPENCV,
    Intrinsics,
    intrinsics_for_image,
    project_points,
    pyrender_camera,
)
from render.composite import Composite, composite, person_uncovered_ratio
from render.errors import RenderError, RenderInputError
from render.fit_map import draw_legend, strain_colours
from render.lighting import Lighting, colour_temperature_k, estimate_lighting
from render.mesh import FABRIC_LOOKS, GarmentMesh, Material, material_for
from render.renderer import Renderer, RenderLayers

__all__ = [
    "Composite",
    "FABRIC_LOOKS",
    "GarmentMesh",
    "Intrinsics",
    "Lighting",
    "Material",
    "OPENGL_FROM_OPENCV",
    "RenderError",
    "RenderInputError",
    "RenderLayers",
    "Renderer",
    "colour_temperature_k",
    "composite",
    "draw_legend",
    "estimate_lighting",
    "intrinsics_for_image",
    "material_for",
    "person_uncovered_ratio",
    "project_points",
    "pyrender_camera",
    "strain_colours",
]
