"""What the renderer draws: a garment mesh and its material."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from render.errors import RenderInputError, check_array

__all__ = [
    "FABRIC_LOOKS",
    "GarmentMesh",
    "Material",
    "hex_to_rgb",
    "material_for",
    "srgb_to_linear",
    "vertex_normals",
]


@dataclass(frozen=True)
class GarmentMesh:
    """A garment placed in the camera frame.

    Attributes:
        vertices: (V, 3) float, metres, OpenCV camera frame.
        faces: (F, 3) int vertex indices; the winding does not matter (the
            garment is lit on the side that faces the camera).
        uvs: (V, 2) float texture coordinates in 0..1 (v up, glTF/OpenGL
            style: v = 0 is the bottom row of the texture image), or None.
        vertex_colours: (V, 3) float sRGB colours in 0..1 that multiply the
            material's colour (the fit map passes strain colours here), or
            None.
    """

    vertices: np.ndarray
    faces: np.ndarray
    uvs: np.ndarray | None = None
    vertex_colours: np.ndarray | None = None

    def checked(self) -> GarmentMesh:
        """The same mesh with arrays of the right dtypes, after checks.

        Raises:
            RenderInputError: on a wrong shape, a non-finite vertex or an
                out-of-range face index.
        """
        vertices = check_array("vertices", self.vertices, (None, 3), "(V, 3)")
        faces = check_array("faces", self.faces, (None, 3), "(F, 3)")
        bad = int(np.count_nonzero(~np.isfinite(vertices)))
        if bad:
            raise RenderInputError(
                f"vertices must be finite, got {bad} NaN or infinite values"
            )
        count = len(vertices)
        if faces.size and (faces.min() < 0 or faces.max() >= count):
            raise RenderInputError(
                f"faces must index the {count} vertices, got indices "
                f"{faces.min()}..{faces.max()}"
            )
        uvs = self.uvs
        if uvs is not None:
            uvs = check_array("uvs", uvs, (count, 2), "(V, 2)").astype(np.float32)
        colours = self.vertex_colours
        if colours is not None:
            colours = check_array("vertex_colours", colours, (count, 3), "(V, 3)")
            colours = colours.astype(np.float32)
        return GarmentMesh(
            vertices=np.ascontiguousarray(vertices, dtype=np.float32),
            faces=np.ascontiguousarray(faces, dtype=np.uint32),
            uvs=uvs,
            vertex_colours=colours,
        )


@dataclass(frozen=True)
class Material:
    """How a garment's cloth looks.

    The light is computed per vertex by :mod:`render.shading` (wrapped
    diffuse, a weak specular lobe set by ``roughness``, and ``sheen``: a
    brightening at grazing angles, (1 - n.v)^3, which is how velvet, wool
    and satin catch the light at their silhouettes); pyrender's own
    shader has no cloth term.

    Attributes:
        base_colour: sRGB colour in 0..1 (3 floats).
        texture: (h, w, 3) or (h, w, 4) uint8 sRGB image sampled by the
            mesh's uvs, multiplied by ``base_colour``; or None. Uploaded
            once per array object and kept: do not change it in place.
        roughness: 0..1, perceptual roughness (cloth: 0.8-1, silk and
            satin: 0.3-0.5); sets the specular highlight's size.
        sheen: 0..1, strength of the grazing-angle brightening.
        name: a label for logs.
    """

    base_colour: tuple[float, float, float] = (0.8, 0.8, 0.8)
    texture: np.ndarray | None = None
    roughness: float = 0.85
    sheen: float = 0.2
    name: str = "cloth"


# Roughness and sheen per fabric preset name (garments.cloth.FABRICS keys).
FABRIC_LOOKS: dict[str, tuple[float, float]] = {
    "jersey": (0.85, 0.2),
    "woven_cotton": (0.85, 0.15),
    "denim": (0.95, 0.1),
    "silk": (0.4, 0.5),
    "wool": (1.0, 0.35),
}


def hex_to_rgb(colour: str) -> tuple[float, float, float]:
    """'#rrggbb' to an sRGB triple in 0..1.

    Raises:
        RenderInputError: when ``colour`` is not '#rrggbb'.
    """
    text = colour.strip().lstrip("#")
    if len(text) != 6:
        raise RenderInputError(f"colour must be '#rrggbb', got {colour!r}")
    try:
        channels = [int(text[i : i + 2], 16) / 255.0 for i in (0, 2, 4)]
    except ValueError:
        raise RenderInputError(f"colour must be '#rrggbb', got {colour!r}") from None
    return (channels[0], channels[1], channels[2])


def material_for(
    colour: str, fabric: str = "jersey", texture: np.ndarray | None = None
) -> Material:
    """The material of a garment of ``colour`` ('#rrggbb') made of ``fabric``.

    Unknown fabric names get jersey's look.
    """
    roughness, sheen = FABRIC_LOOKS.get(fabric, FABRIC_LOOKS["jersey"])
    return Material(
        base_colour=hex_to_rgb(colour),
        texture=texture,
        roughness=roughness,
        sheen=sheen,
        name=fabric,
    )


def srgb_to_linear(values: np.ndarray) -> np.ndarray:
    """The sRGB transfer function undone (0..1 in, 0..1 out)."""
    values = np.asarray(values, dtype=np.float32)
    low = values / 12.92
    high = ((values + 0.055) / 1.055) ** 2.4
    return np.where(values <= 0.04045, low, high)


def vertex_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Area-weighted unit vertex normals.

    Args:
        vertices: (V, 3) float.
        faces: (F, 3) int.

    Returns:
        (V, 3) float32; zero-area and unused vertices get (0, 0, 1).
    """
    corners = vertices[faces]  # (F, 3, 3)
    face_normals = np.cross(
        corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0]
    )  # (F, 3), length = 2 x area

    # Sum the face normals onto their corners.
    corner_vertices = faces.ravel()  # (3F,), face after face
    normals = np.empty((len(vertices), 3), dtype=np.float64)  # (V, 3)
    for axis in range(3):
        weights = np.repeat(face_normals[:, axis], 3)  # (3F,)
        normals[:, axis] = np.bincount(
            corner_vertices, weights=weights, minlength=len(vertices)
        )
    lengths = np.linalg.norm(normals, axis=1, keepdims=True)  # (V, 1)
    degenerate = lengths[:, 0] <= 1e-20
    normals /= np.where(degenerate[:, None], 1.0, lengths)
    normals[degenerate] = (0.0, 0.0, 1.0)
    return normals.astype(np.float32)
