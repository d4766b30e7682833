"""Per-vertex cloth shading, done by us rather than by pyrender's shader.

On a CPU rasteriser (Mesa's llvmpipe) pyrender's physically based fragment
shader dominates the cost of a render, for the body (which only has to
write depth) as much as for the garment. So the renderer rasterises in
pyrender's FLAT mode (base colour x texture x vertex colour, no lighting)
and the light is computed here, once per vertex (Gouraud shading), with a
model chosen for cloth:

1. Ambient: a share of the light that reaches every vertex.
2. Diffuse with wrap lighting, (n.l + w) / (1 + w): cloth scatters light
   into its shadowed side, so the terminator is soft.
3. A weak specular lobe (Blinn-Phong, exponent from the roughness, 4 %
   reflectance), strongest for silk and weakest for wool and denim.
4. Sheen: grazing-angle brightening, (1 - n.v)^3, how velvet, wool and
   satin catch the light at their silhouettes.

FLAT mode multiplies colours as they are stored, sRGB-encoded, with no
conversion. Because (albedo x E)^(1/2.2) = albedo^(1/2.2) x E^(1/2.2), the
irradiance E is handed over encoded, E^(1/2.2), and multiplies the encoded
colour correctly (to the accuracy of a 2.2 power for the sRGB curve). The
specular term is additive in reality; it is folded into the multiplier by
dividing by the albedo's luminance, exact for untextured cloth.

Note:
    Shading varies at the scale of the mesh's vertices (about 1-2 cm on a
    5k-vertex garment); creases narrower than that are not shaded.
"""

from __future__ import annotations

import numpy as np

from render.lighting import Lighting
from render.mesh import Material, srgb_to_linear, vertex_normals

__all__ = ["DISPLAY_GAMMA", "WRAP", "albedo_luminance", "shade_vertices"]

# The power that stands for the sRGB transfer curve.
DISPLAY_GAMMA = 2.2

# Wrap of the diffuse term (0: Lambert).
WRAP = 0.25

# Reflectance of cloth fibres at normal incidence.
SPECULAR_REFLECTANCE = 0.04

# Sheen reaches this share of the light at a silhouette, for sheen 1.
SHEEN_GAIN = 0.6


def shade_vertices(
    vertices: np.ndarray,
    faces: np.ndarray,
    material: Material,
    lighting: Lighting,
    albedo_luminance: float,
) -> np.ndarray:
    """sRGB-encoded light multiplier per vertex (see the module docstring).

    Args:
        vertices: (V, 3) float32, metres, OpenCV camera frame (the camera
            at the origin).
        faces: (F, 3) int; the winding does not matter: each vertex is lit
            on the side that faces the camera.
        material: roughness and sheen.
        lighting: the photo's light.
        albedo_luminance: linear luminance of the cloth's colour, to fold
            the specular term into the multiplier.

    Returns:
        (V, 3) float32 multipliers, >= 0 (may exceed 1 in highlights).
    """
    normals = vertex_normals(vertices, faces)  # (V, 3)
    distance = np.linalg.norm(vertices, axis=1, keepdims=True)  # (V, 1)
    view = -vertices / np.maximum(distance, 1e-9)  # (V, 3), towards camera

    # 0. Light the side that faces the camera.
    facing = np.einsum("ij,ij->i", normals, view)  # (V,)
    normals[facing < 0] *= -1.0
    n_dot_v = np.abs(facing)  # (V,)

    light = np.asarray(lighting.direction, dtype=np.float64)
    light /= np.linalg.norm(light)
    n_dot_l = normals @ light  # (V,)
    key = lighting.intensity * (1.0 - lighting.ambient)

    # 1.-2. Ambient and wrapped diffuse.
    diffuse = np.clip((n_dot_l + WRAP) / (1.0 + WRAP), 0.0, 1.0) * key
    ambient = lighting.intensity * lighting.ambient

    # 3. Specular, normalised Blinn-Phong.
    exponent = max(1.0, 2.0 / max(material.roughness, 0.05) ** 4 - 2.0)
    half = view + light  # (V, 3)
    half /= np.maximum(np.linalg.norm(half, axis=1, keepdims=True), 1e-9)
    n_dot_h = np.clip(np.einsum("ij,ij->i", normals, half), 0.0, 1.0)
    specular = (
        SPECULAR_REFLECTANCE
        * (exponent + 2.0)
        / 8.0
        * n_dot_h**exponent
        * np.clip(n_dot_l, 0.0, 1.0)
        * key
    )

    # 4. Sheen at grazing angles.
    sheen = material.sheen * SHEEN_GAIN * (1.0 - n_dot_v) ** 3 * lighting.intensity

    irradiance = ambient + diffuse + sheen + specular / max(albedo_luminance, 0.05)
    colour = np.asarray(lighting.colour, dtype=np.float64)  # (3,), linear
    linear = irradiance[:, None] * colour[None, :]  # (V, 3)
    return (linear ** (1.0 / DISPLAY_GAMMA)).astype(np.float32)


def albedo_luminance(material: Material) -> float:
    """Linear luminance of the material's base colour."""
    linear = srgb_to_linear(np.asarray(material.base_colour))  # (3,)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))
