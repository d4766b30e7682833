"""Cloth simulation: XPBD solver, fabric presets, strain and contact metrics."""

from garments.cloth.fabric import FABRICS, Fabric
from garments.cloth.metrics import (
    edge_strain,
    kinetic_energy,
    penetration_ratio,
    vertex_strain,
)
from garments.cloth.solver import ClothSolver, SettleResult, SolverSettings
from garments.cloth.topology import mesh_edges, mesh_hinges, vertex_masses

__all__ = [
    "FABRICS",
    "ClothSolver",
    "Fabric",
    "SettleResult",
    "SolverSettings",
    "edge_strain",
    "kinetic_energy",
    "mesh_edges",
    "mesh_hinges",
    "penetration_ratio",
    "vertex_masses",
    "vertex_strain",
]
