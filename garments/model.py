"""What a garment is: catalog metadata and the meshes behind it.

A :class:`Garment` is the metadata a merchandiser edits and the store
keeps (name, category, fabric, sizes and their chart, price). A
:class:`GarmentAsset` is the geometry: the simulation mesh at rest on the
canonical mannequin, the render mesh with UVs and texture, the map from
render to simulation vertices, and the binding of every simulation vertex
to the mannequin's surface. Assets are stored in a directory named by
their content hash (``Garment.mesh_key``).

Frames and units: canonical body frame (Y up, +Z out of the body's front,
+X the person's left, origin midway between the hip joints), metres.
Size charts are in centimetres.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from garments.errors import AssetError, MeshImportError

__all__ = [
    "CATEGORIES",
    "CHART_KEYS",
    "DEFAULT_SIZES",
    "ASSET_FORMAT",
    "Garment",
    "GarmentAsset",
    "RenderMesh",
    "content_hash",
    "mesh_edges",
    "validate_fields",
]

logger = logging.getLogger(__name__)

CATEGORIES = ("top", "bottom", "dress", "outerwear")
DEFAULT_SIZES = ("XS", "S", "M", "L", "XL", "XXL")
CHART_KEYS = ("chest", "waist", "hip", "length", "sleeve")
ASSET_FORMAT = 1
FABRIC_NAMES = ("jersey", "woven_cotton", "denim", "silk", "wool")

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Garment:
    """Catalog metadata of one garment.

    Attributes:
        id: stable identifier, lowercase letters, digits and dashes.
        name: display name.
        category: one of :data:`CATEGORIES`.
        fabric: fabric preset name (``garments.cloth.FABRICS`` key).
        colour: base colour as ``#rrggbb``.
        price: price in the store's currency.
        tags: free tags for search and recommendation.
        sizes: size labels in ascending order, e.g. XS..XXL or 36..46.
        base_size: the size the asset's rest mesh was made in.
        size_chart: size label -> {chest, waist, hip, length, sleeve} in cm
            (garment measurements; keys that do not apply are left out).
        source_file: name of the file it was imported from, or
            ``procedural:<kind>`` for the bundled catalog.
        mesh_key: content hash naming the asset directory.
        import_report: what the importer detected and repaired (JSON-able).
    """

    id: str
    name: str
    category: str
    fabric: str
    colour: str
    price: float
    tags: tuple[str, ...]
    sizes: tuple[str, ...]
    base_size: str
    size_chart: Mapping[str, Mapping[str, float]]
    source_file: str
    mesh_key: str
    import_report: Mapping[str, Any] = field(default_factory=dict)

    def __hash__(self) -> int:
        # The size chart and report are dicts; identity is id and content.
        return hash((self.id, self.mesh_key, self.name, self.price))

    def to_record(self) -> dict[str, Any]:
        """JSON-able dict with every field (lists for tuples)."""
        return {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "fabric": self.fabric,
            "colour": self.colour,
            "price": float(self.price),
            "tags": list(self.tags),
            "sizes": list(self.sizes),
            "base_size": self.base_size,
            "size_chart": {
                size: {key: float(v) for key, v in row.items()}
                for size, row in self.size_chart.items()
            },
            "source_file": self.source_file,
            "mesh_key": self.mesh_key,
            "import_report": json.loads(json.dumps(dict(self.import_report))),
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Garment:
        """Inverse of :meth:`to_record`; unknown keys are ignored."""
        return cls(
            id=str(record["id"]),
            name=str(record["name"]),
            category=str(record["category"]),
            fabric=str(record["fabric"]),
            colour=str(record["colour"]),
            price=float(record.get("price", 0.0)),
            tags=tuple(record.get("tags", ())),
            sizes=tuple(record["sizes"]),
            base_size=str(record["base_size"]),
            size_chart={
                str(size): {str(k): float(v) for k, v in row.items()}
                for size, row in dict(record.get("size_chart", {})).items()
            },
            source_file=str(record.get("source_file", "")),
            mesh_key=str(record["mesh_key"]),
            import_report=dict(record.get("import_report", {})),
        )

    def with_fields(self, **fields: Any) -> Garment:
        """A copy with ``fields`` replaced, checked by :func:`validate_fields`.

        Raises:
            MeshImportError: a field is unknown or has a bad value.
        """
        known = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(fields) - known)
        if unknown:
            raise MeshImportError(
                f"unknown garment field(s) {', '.join(unknown)}; "
                f"use one of {', '.join(sorted(known))}"
            )
        for key in ("tags", "sizes"):
            if key in fields and fields[key] is not None:
                fields[key] = tuple(fields[key])
        garment = dataclasses.replace(self, **fields)
        validate_fields(garment)
        return garment


def validate_fields(garment: Garment) -> None:
    """Check the metadata a merchandiser can set.

    Raises:
        MeshImportError: with a one-line reason for the first bad field.
    """
    if garment.category not in CATEGORIES:
        raise MeshImportError(
            f"category {garment.category!r} is unknown; "
            f"use one of {', '.join(CATEGORIES)}"
        )
    if garment.fabric not in FABRIC_NAMES:
        raise MeshImportError(
            f"fabric {garment.fabric!r} is unknown; "
            f"use one of {', '.join(FABRIC_NAMES)}"
        )
    if not _COLOUR.match(garment.colour):
        raise MeshImportError(
            f"colour {garment.colour!r} is not #rrggbb; give it like #1f77b4"
        )
    if not np.isfinite(garment.price) or garment.price < 0:
        raise MeshImportError(
            f"price {garment.price} is not a price; give a number >= 0"
        )
    if not garment.sizes or len(set(garment.sizes)) != len(garment.sizes):
        raise MeshImportError(
            "sizes must be distinct labels; give them like XS,S,M,L,XL"
        )
    if garment.base_size not in garment.sizes:
        raise MeshImportError(
            f"base size {garment.base_size!r} is not one of the sizes "
            f"{', '.join(garment.sizes)}"
        )
    missing = [s for s in garment.sizes if s not in garment.size_chart]
    if missing:
        raise MeshImportError(
            f"the size chart has no row for size(s) {', '.join(missing)}; "
            "give a measurement row per size"
        )


@dataclass(frozen=True)
class RenderMesh:
    """The mesh drawn on screen, with the detail and UV seams of the source.

    Attributes:
        vertices: (R, 3) float32, metres, canonical frame, at rest.
        faces: (G, 3) int32 indices into ``vertices``.
        uvs: (R, 2) float32 texture coordinates (may exceed 0..1; the
            texture repeats).
        sim_index: (R,) int32, for each render vertex the simulation
            vertex it follows, or -1 when it follows ``sim_weights``.
        sim_faces: (R,) int32 simulation face carrying each render
            vertex, used with ``sim_barycentrics`` and ``sim_offsets``.
        sim_barycentrics: (R, 3) float32 barycentric coordinates in that
            simulation face.
        sim_offsets: (R,) float32 offset along that face's normal, metres.
            The face map is only used where ``sim_index`` is -1.
        texture: (H, W, 3) uint8 RGB image or None (plain colour).
    """

    vertices: np.ndarray
    faces: np.ndarray
    uvs: np.ndarray
    sim_index: np.ndarray
    sim_faces: np.ndarray
    sim_barycentrics: np.ndarray
    sim_offsets: np.ndarray
    texture: np.ndarray | None = None

    def follow(self, sim_vertices: np.ndarray, sim_faces: np.ndarray) -> np.ndarray:
        """Render vertex positions for a deformed simulation mesh.

        Args:
            sim_vertices: (V, 3) float, the simulation mesh, any frame.
            sim_faces: (F, 3) int, the simulation faces.

        Returns:
            (R, 3) float32 render vertices in the same frame.
        """
        sim_vertices = np.asarray(sim_vertices, dtype=np.float64)
        corners = sim_vertices[sim_faces[self.sim_faces]]  # (R, 3, 3)
        points = np.einsum("rk,rkd->rd", self.sim_barycentrics, corners)
        normals = np.cross(
            corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0]
        )  # (R, 3)
        length = np.linalg.norm(normals, axis=1, keepdims=True)
        normals /= np.maximum(length, 1e-12)
        points += normals * self.sim_offsets[:, None]
        direct = self.sim_index >= 0
        points[direct] = sim_vertices[self.sim_index[direct]]
        return points.astype(np.float32)


@dataclass(frozen=True)
class GarmentAsset:
    """Geometry of one garment at rest on the canonical mannequin.

    Attributes:
        vertices: (V, 3) float32 simulation mesh, metres, canonical frame,
            settled on the canonical mannequin in the base size.
        faces: (F, 3) int32, consistently wound, outward normals.
        render: the render mesh and its map onto the simulation mesh.
        binding_faces: (V,) int32 mannequin face nearest to each vertex.
        binding_barycentrics: (V, 3) float32 barycentrics of the nearest
            point in that face.
        binding_offsets: (V, 3) float32 offset from the surface point in
            its local frame (tangent, bitangent, normal), metres; the last
            column is the signed distance along the normal (positive
            outside). Together these build a ``garments.binding.Binding``.
        anchor_vertices: (V,) bool vertices held to the body when draping
            (neckline and shoulders of a top or dress, waistband of a
            bottom).
    """

    vertices: np.ndarray
    faces: np.ndarray
    render: RenderMesh
    binding_faces: np.ndarray
    binding_barycentrics: np.ndarray
    binding_offsets: np.ndarray
    anchor_vertices: np.ndarray

    @property
    def edges(self) -> np.ndarray:
        """(E, 2) int32 unique undirected edges of the simulation mesh."""
        return mesh_edges(self.faces)

    def save(self, directory: Path) -> None:
        """Write ``asset.npz`` (and ``texture.png``) into ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            directory / "asset.npz",
            format=np.int32(ASSET_FORMAT),
            vertices=self.vertices.astype(np.float32),
            faces=self.faces.astype(np.int32),
            render_vertices=self.render.vertices.astype(np.float32),
            render_faces=self.render.faces.astype(np.int32),
            render_uvs=self.render.uvs.astype(np.float32),
            render_sim_index=self.render.sim_index.astype(np.int32),
            render_sim_faces=self.render.sim_faces.astype(np.int32),
            render_sim_barycentrics=self.render.sim_barycentrics.astype(np.float32),
            render_sim_offsets=self.render.sim_offsets.astype(np.float32),
            binding_faces=self.binding_faces.astype(np.int32),
            binding_barycentrics=self.binding_barycentrics.astype(np.float32),
            binding_offsets=self.binding_offsets.astype(np.float32),
            anchor_vertices=self.anchor_vertices.astype(bool),
        )
        if self.render.texture is not None:
            from PIL import Image

            Image.fromarray(self.render.texture).save(directory / "texture.png")

    @classmethod
    def load(cls, directory: Path) -> GarmentAsset:
        """Read an asset written by :meth:`save`.

        Raises:
            AssetError: the directory or its files are missing or damaged.
        """
        path = directory / "asset.npz"
        try:
            with np.load(path) as data:
                arrays = {key: data[key] for key in data.files}
        except (OSError, ValueError) as error:
            raise AssetError(f"garment asset {path} cannot be read: {error}") from None
        texture = None
        if (directory / "texture.png").exists():
            from PIL import Image

            with Image.open(directory / "texture.png") as image:
                texture = np.asarray(image.convert("RGB"))
        render = RenderMesh(
            vertices=arrays["render_vertices"],
            faces=arrays["render_faces"],
            uvs=arrays["render_uvs"],
            sim_index=arrays["render_sim_index"],
            sim_faces=arrays["render_sim_faces"],
            sim_barycentrics=arrays["render_sim_barycentrics"],
            sim_offsets=arrays["render_sim_offsets"],
            texture=texture,
        )
        return cls(
            vertices=arrays["vertices"],
            faces=arrays["faces"],
            render=render,
            binding_faces=arrays["binding_faces"],
            binding_barycentrics=arrays["binding_barycentrics"],
            binding_offsets=arrays["binding_offsets"],
            anchor_vertices=arrays["anchor_vertices"],
        )


def mesh_edges(faces: np.ndarray) -> np.ndarray:
    """Unique undirected edges of a triangle mesh.

    The cloth solver's edge finder (``garments.cloth.topology``), as int32.

    Args:
        faces: (F, 3) int vertex indices.

    Returns:
        (E, 2) int32, each row sorted (smaller index first).
    """
    from garments.cloth.topology import mesh_edges as cloth_edges

    return cloth_edges(faces).astype(np.int32)


def content_hash(parts: Iterable[bytes | str | np.ndarray]) -> str:
    """A 16-hex-digit SHA-256 digest of ``parts`` (bytes, text or arrays)."""
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, np.ndarray):
            digest.update(str(part.dtype).encode())
            digest.update(str(part.shape).encode())
            part = np.ascontiguousarray(part).tobytes()
        elif isinstance(part, str):
            part = part.encode()
        digest.update(part)
    return digest.hexdigest()[:16]
