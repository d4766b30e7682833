"""Garments: the catalog model, mesh import, procedural garments, cloth."""

from garments.binding import Binding, bind
from garments.errors import AssetError, GarmentError, MeshImportError
from garments.model import Garment, GarmentAsset, RenderMesh

__all__ = [
    "AssetError",
    "Binding",
    "Garment",
    "GarmentAsset",
    "GarmentError",
    "MeshImportError",
    "RenderMesh",
    "bind",
]
