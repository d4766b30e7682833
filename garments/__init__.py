"""Garments: the catalog model, mesh import, procedural garments, cloth."""

from garments.binding import Binding, bind
from garments.cloth import FABRICS, ClothSolver, Fabric, SettleResult, SolverSettings
from garments.colliders import Collider, MeshCollider, PlaneCollider, SphereCollider
from garments.errors import AssetError, GarmentError, MeshImportError
from garments.grading import default_size_chart, grade, measure_garment
from garments.model import Garment, GarmentAsset, RenderMesh

__all__ = [
    "FABRICS",
    "ClothSolver",
    "Collider",
    "Fabric",
    "MeshCollider",
    "PlaneCollider",
    "SettleResult",
    "SolverSettings",
    "SphereCollider",
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
