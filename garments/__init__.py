"""Garments: the catalog model, mesh import, procedural garments, cloth."""

from garments.binding import Binding, bind
from garments.cloth import FABRICS, ClothSolver, Fabric, SettleResult, SolverSettings
from garments.colliders import Collider, MeshCollider, PlaneCollider, SphereCollider
from garments.drape import DrapeBody, DrapeResult, DrapeSettings
from garments.errors import AssetError, GarmentError, MeshImportError
from garments.fit import FitReport, RegionFit, fit_report, recommend_size
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
    "DrapeBody",
    "DrapeResult",
    "DrapeSettings",
    "FitReport",
    "Garment",
    "GarmentAsset",
    "GarmentError",
    "MeshImportError",
    "RegionFit",
    "RenderMesh",
    "bind",
    "default_size_chart",
    "fit_report",
    "grade",
    "measure_garment",
    "recommend_size",
]
