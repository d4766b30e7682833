"""Garments: the catalog model, mesh import, procedural garments, cloth."""

from garments.binding import Binding, bind
from garments.errors import AssetError, GarmentError, MeshImportError
from garments.grading import default_size_chart, grade, measure_garment
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
    "default_size_chart",
    "grade",
    "measure_garment",
]
