"""Read a mesh file (or an archive of one) and check that it can be a garment.

Parsing gives a :class:`RawMesh` with the file's own numbers (units and
axes untouched, vertices split at UV seams as the file has them);
validation refuses, with one line, what cannot be a garment. Archives are
unpacked into a temporary directory under size limits.
"""

from __future__ import annotations

import bz2
import logging
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from garments.errors import MeshImportError

__all__ = [
    "MESH_FORMATS",
    "Limits",
    "RawMesh",
    "parse_file",
    "validate",
    "weld",
]

logger = logging.getLogger(__name__)

MESH_FORMATS = ("obj", "glb", "gltf", "ply", "stl", "off")
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Limits against files that would exhaust the machine.

    Attributes:
        max_file_mb: largest file accepted, MB.
        max_expanded_mb: largest total an archive may expand to, MB.
        max_archive_entries: most entries in a zip archive.
        max_faces: most triangles in a mesh.
        min_faces: fewest triangles a garment can have.
    """

    max_file_mb: float = 100.0
    max_expanded_mb: float = 300.0
    max_archive_entries: int = 200
    max_faces: int = 1_000_000
    min_faces: int = 50


@dataclass(frozen=True)
class RawMesh:
    """A mesh as the file has it.

    Attributes:
        name: the file's name (for messages).
        format: the mesh format read, e.g. "obj" or "obj in zip".
        vertices: (N, 3) float64 in the file's units and axes.
        faces: (M, 3) int64 triangles.
        uvs: (N, 2) float64 texture coordinates or None.
        texture: (H, W, 3) uint8 texture image or None.
        polygons: faces of the file that had more than three corners.
    """

    name: str
    format: str
    vertices: np.ndarray
    faces: np.ndarray
    uvs: np.ndarray | None
    texture: np.ndarray | None
    polygons: int


def _suffix(path: Path) -> str:
    return path.suffix.lower().lstrip(".")


def _unsupported(name: str, suffix: str) -> MeshImportError:
    what = f".{suffix}" if suffix else "without a suffix"
    return MeshImportError(
        f"{name}: unsupported format {what}; use OBJ, GLB/glTF, PLY, STL or OFF "
        "(or a .zip/.bz2 of one)"
    )


def parse_file(path: Path, limits: Limits = Limits()) -> RawMesh:  # noqa: B008
    """Read ``path``: a mesh file, a .zip holding one, or a .bz2 of one.

    Raises:
        MeshImportError: missing, too large, unsupported or malformed file.
    """
    name = path.name
    if not path.is_file():
        raise MeshImportError(f"{name}: no such file; check the path")
    size = path.stat().st_size
    if size > limits.max_file_mb * MB:
        raise MeshImportError(
            f"{name}: the file is {size / MB:.0f} MB, more than the "
            f"{limits.max_file_mb:.0f} MB limit; decimate the mesh first"
        )
    suffix = _suffix(path)
    if suffix in ("zip", "bz2"):
        with tempfile.TemporaryDirectory(prefix="tryon-import-") as temp:
            inner = _unpack(path, Path(temp), limits)
            raw = _read_mesh(inner, name, limits)
            return RawMesh(**{**raw.__dict__, "format": f"{raw.format} in {suffix}"})
    if suffix not in MESH_FORMATS:
        raise _unsupported(name, suffix)
    return _read_mesh(path, name, limits)


def _unpack(path: Path, folder: Path, limits: Limits) -> Path:
    """Expand an archive into ``folder``; returns the mesh file inside."""
    name = path.name
    budget = int(limits.max_expanded_mb * MB)
    too_big = MeshImportError(
        f"{name}: the archive expands to more than {limits.max_expanded_mb:.0f} "
        "MB; send the mesh file itself"
    )
    if _suffix(path) == "bz2":
        inner = folder / Path(path.stem).name
        if _suffix(inner) not in MESH_FORMATS:
            raise _unsupported(name, _suffix(inner))
        try:
            with bz2.open(path, "rb") as source, open(inner, "wb") as target:
                written = 0
                while chunk := source.read(MB):
                    written += len(chunk)
                    if written > budget:
                        raise too_big
                    target.write(chunk)
        except (OSError, EOFError) as error:
            raise MeshImportError(
                f"{name}: the file is malformed ({_short(error)}); export it again"
            ) from None
        return inner
    try:
        with zipfile.ZipFile(path) as archive:
            entries = [e for e in archive.infolist() if not e.is_dir()]
            if len(entries) > limits.max_archive_entries:
                raise MeshImportError(
                    f"{name}: the archive holds {len(entries)} files, more than "
                    f"{limits.max_archive_entries}; send the mesh and its "
                    "textures only"
                )
            if sum(e.file_size for e in entries) > budget:
                raise too_big
            meshes = [e for e in entries if _suffix(Path(e.filename)) in MESH_FORMATS]
            if not meshes:
                raise MeshImportError(
                    f"{name}: the archive holds no OBJ, GLB/glTF, PLY, STL or OFF file"
                )
            for entry in entries:
                target = (folder / entry.filename).resolve()
                if not target.is_relative_to(folder.resolve()):
                    raise MeshImportError(
                        f"{name}: the archive has a file outside its folder "
                        f"({entry.filename}); pack it again"
                    )
                archive.extract(entry, folder)
            return folder / meshes[0].filename
    except zipfile.BadZipFile as error:
        raise MeshImportError(
            f"{name}: the file is malformed ({_short(error)}); export it again"
        ) from None


def _short(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text[:80]


def _read_mesh(path: Path, name: str, limits: Limits) -> RawMesh:
    import trimesh

    suffix = _suffix(path)
    try:
        loaded = trimesh.load(str(path), file_type=suffix, process=False)
    except Exception as error:  # loaders raise many kinds of errors
        logger.debug("loading %s failed", path, exc_info=True)
        raise MeshImportError(
            f"{name}: the file is malformed ({_short(error)}); export it again"
        ) from None
    geometries = _geometries(loaded)
    polygons = _count_polygons(path) if suffix == "obj" else 0
    if not geometries:
        raise MeshImportError(
            f"{name}: the file holds no triangles; export the garment as a mesh"
        )
    vertices, faces, uvs, texture = _combine(geometries)
    if len(faces) > limits.max_faces:
        raise MeshImportError(
            f"{name}: the mesh has {len(faces)} triangles, more than the "
            f"{limits.max_faces} limit; decimate it first"
        )
    return RawMesh(name, suffix, vertices, faces, uvs, texture, polygons)


def _geometries(loaded) -> list:
    import trimesh

    if isinstance(loaded, trimesh.Scene):
        meshes = []
        for node in loaded.graph.nodes_geometry:
            transform, geometry_name = loaded.graph[node]
            geometry = loaded.geometry[geometry_name]
            if isinstance(geometry, trimesh.Trimesh) and len(geometry.faces):
                meshes.append(geometry.copy().apply_transform(transform))
        return meshes
    if isinstance(loaded, trimesh.Trimesh) and len(loaded.faces):
        return [loaded]
    return []


def _combine(geometries: list) -> tuple:
    """Concatenate meshes; keeps UVs and the first texture image."""
    vertices, faces, uvs, texture = [], [], [], None
    offset = 0
    have_uvs = True
    for mesh in geometries:
        vertices.append(np.asarray(mesh.vertices, dtype=np.float64))
        faces.append(np.asarray(mesh.faces, dtype=np.int64) + offset)
        offset += len(mesh.vertices)
        uv = getattr(mesh.visual, "uv", None)
        if uv is None or len(uv) != len(mesh.vertices):
            have_uvs = False
        else:
            uvs.append(np.asarray(uv, dtype=np.float64))
        texture = texture if texture is not None else _texture(mesh)
    return (
        np.vstack(vertices),
        np.vstack(faces),
        np.vstack(uvs) if have_uvs and uvs else None,
        texture,
    )


def _texture(mesh) -> np.ndarray | None:
    material = getattr(mesh.visual, "material", None)
    image = getattr(material, "image", None)
    if image is None:
        image = getattr(material, "baseColorTexture", None)
    if image is None:
        return None
    try:
        return np.asarray(image.convert("RGB"))
    except Exception:  # a broken texture is not a reason to refuse the mesh
        logger.debug("texture of %s unreadable", mesh, exc_info=True)
        return None


_POLYGON = re.compile(rb"^f(?:[ \t]+[^ \t\r\n]+){4,}[ \t]*\r?$", re.MULTILINE)


def _count_polygons(path: Path) -> int:
    """Faces of an OBJ file with more than three corners."""
    return len(_POLYGON.findall(path.read_bytes()))


def weld(
    vertices: np.ndarray, faces: np.ndarray, tolerance: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Merge vertices closer than ``tolerance`` (UV seams, split normals).

    Args:
        vertices: (N, 3) float.
        faces: (M, 3) int.
        tolerance: merge distance, same units as ``vertices``.

    Returns:
        welded vertices (V, 3), faces (M, 3) on them, and (N,) the welded
        index of every input vertex.
    """
    keys = np.round(vertices / tolerance).astype(np.int64)
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    return vertices[first], inverse[faces], inverse


def validate(raw: RawMesh, limits: Limits = Limits()) -> None:  # noqa: B008
    """Refuse what cannot be a garment, with one reason.

    Raises:
        MeshImportError: too few triangles, NaN/inf coordinates, a flat
            2-D pattern, a triangle soup, or a closed solid.
    """
    name = raw.name
    if not np.all(np.isfinite(raw.vertices)):
        raise MeshImportError(
            f"{name}: the mesh has NaN or infinite vertex coordinates; "
            "repair it in your modelling tool"
        )
    if len(raw.faces) < limits.min_faces:
        raise MeshImportError(
            f"{name}: the mesh has only {len(raw.faces)} triangles, too few for "
            "a garment; export the full garment"
        )
    extents = np.ptp(raw.vertices, axis=0)
    if extents.min() <= 1e-9 * max(extents.max(), 1e-30):
        axis = "xyz"[int(np.argmin(extents))]
        raise MeshImportError(
            f"{name}: the mesh is flat (every {axis} is equal), a 2-D sewing "
            "pattern rather than a garment; sew it into a 3-D garment first"
        )
    _check_connected(raw)


def _check_connected(raw: RawMesh) -> None:
    import trimesh

    scale = float(np.ptp(raw.vertices, axis=0).max())
    vertices, faces, _ = weld(raw.vertices, raw.faces, scale * 1e-6)
    mesh = trimesh.Trimesh(vertices, faces, process=False)
    pieces = trimesh.graph.connected_components(
        mesh.face_adjacency, nodes=np.arange(len(faces)), min_len=1
    )
    largest = max(len(p) for p in pieces)
    if largest < 20:
        raise MeshImportError(
            f"{raw.name}: the mesh is {len(pieces)} separate pieces of at most "
            f"{largest} triangles, not a cloth surface; export the garment as "
            "connected surfaces"
        )
    if mesh.is_watertight:
        raise MeshImportError(
            f"{raw.name}: the mesh is a closed solid, not a garment; garments "
            "are open cloth surfaces with openings for the body"
        )
