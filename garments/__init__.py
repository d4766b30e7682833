"""Garments: the catalog model, mesh import, procedural garments, cloth."""

from garments.errors import AssetError, GarmentError, MeshImportError
from garments.model import Garment, GarmentAsset, RenderMesh

__all__ = [
    "AssetError",
    "Garment",
    "GarmentAsset",
    "GarmentError",
    "MeshImportError",
    "RenderMesh",
]
