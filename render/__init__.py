"""Camera model, offscreen renderer, compositing and fit-map colours.

pyrender (and with it OpenGL) is imported only when a :class:`Renderer` is
made, so this package imports quickly and on machines without a display.
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
