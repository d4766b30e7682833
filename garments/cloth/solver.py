"""The XPBD cloth solver: small steps, one Jacobi iteration each.

Extended position-based dynamics (Macklin, Mueller and Chentanez 2016)
with the "small steps" scheme (Macklin et al. 2019): a frame is split
into many substeps, and each substep predicts positions from velocities
and gravity, projects every constraint once, resolves collisions with
friction, and derives velocities from the positions. Constraints are
projected Jacobi-style (all at once from the same positions, corrections
averaged per vertex and over-relaxed), which suits torch: a substep is a
few dozen large tensor operations, whatever the mesh size.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import torch

from garments.cloth.checks import as_faces, as_points, check_shape
from garments.cloth.constraints import BendingConstraints, StretchConstraints
from garments.cloth.fabric import Fabric
from garments.cloth.metrics import kinetic_energy
from garments.cloth.topology import mesh_edges, mesh_hinges, vertex_masses

if TYPE_CHECKING:
    from garments.colliders import Collider

__all__ = ["ClothSolver", "SettleResult", "SolverSettings"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SolverSettings:
    """How the solver steps and when it calls the cloth settled.

    Attributes:
        time_step: one frame, seconds; :meth:`ClothSolver.step` advances
            this much and :meth:`ClothSolver.settle` checks convergence
            once per frame.
        substeps: substeps per frame, one constraint iteration each.
        gravity: (3,) m/s^2 in the cloth's frame (Y up by default).
        relaxation: over-relaxation of the averaged Jacobi corrections
            (1 is plain averaging; up to about 2 converges faster).
        bending: whether to project the bending constraints.
        attachment_compliance: compliance of attachments, m/N (0: hard).
        collision_margin: metres kept between the cloth and colliders on
            top of the fabric's thickness (covers collider grid error).
        max_speed: m/s; faster vertices are slowed to this (a guard
            against blow-ups after deep initial penetration).
        max_iterations: the most substeps :meth:`ClothSolver.settle` runs.
        min_iterations: the fewest substeps before it may stop.
        speed_tolerance: settled when every vertex is slower, m/s.
        residual_tolerance: and the largest stretch residual
            ``|C + alpha lambda| / rest`` is below this (dimensionless).
        device: torch device, "cpu" or "cuda".
    """

    time_step: float = 1.0 / 60.0
    substeps: int = 10
    gravity: tuple[float, float, float] = (0.0, -9.81, 0.0)
    relaxation: float = 1.0
    bending: bool = True
    gauss_seidel: bool = True
    attachment_compliance: float = 1e-6
    collision_margin: float = 0.002
    max_speed: float = 10.0
    max_iterations: int = 600
    min_iterations: int = 20
    speed_tolerance: float = 0.02
    residual_tolerance: float = 0.02
    device: str = "cpu"


@dataclass(frozen=True)
class SettleResult:
    """The cloth at rest, and how the solver got there.

    Attributes:
        vertices: (V, 3) float32, metres, the solver's frame.
        iterations: substeps taken (one constraint iteration each).
        residual: the largest relative stretch residual at the end.
        converged: whether both tolerances were met before the cap.
        kinetic_energy: joules, after each frame.
    """

    vertices: np.ndarray
    iterations: int
    residual: float
    converged: bool
    kinetic_energy: tuple[float, ...]


class ClothSolver:
    """A triangle-mesh cloth under gravity, held by colliders and pins.

    Args:
        vertices: (V, 3) starting positions, metres.
        faces: (F, 3) int vertex indices (winding may be inconsistent).
        fabric: the fabric's physical parameters.
        rest_vertices: (V, 3) the unstretched shape, metres; defaults to
            ``vertices``. Sets rest lengths, rest angles and masses.
        collider: what the cloth cannot enter, or None.
        pinned: (V,) bool, vertices that never move (set_state moves them).
        attachments: (indices (K,), targets (K, 3) metres): vertices held
            to targets with ``settings.attachment_compliance``.
        settings: stepping and convergence settings.

    Raises:
        ValueError: bad shapes or indices.

    Example:
        >>> solver = ClothSolver(vertices, faces, FABRICS["jersey"],
        ...                      collider=SphereCollider((0, 0, 0), 0.3))
        >>> result = solver.settle()
        >>> result.converged, result.vertices.shape
    """

    def __init__(
        self,
        vertices: np.ndarray,
        faces: np.ndarray,
        fabric: Fabric,
        *,
        rest_vertices: np.ndarray | None = None,
        collider: Collider | None = None,
        pinned: np.ndarray | None = None,
        attachments: tuple[np.ndarray, np.ndarray] | None = None,
        settings: SolverSettings = SolverSettings(),  # noqa: B008
    ) -> None:
        self.settings = settings
        self.fabric = fabric
        self.device = torch.device(settings.device)
        self.positions = as_points("vertices", vertices, self.device)  # (V, 3)
        count = len(self.positions)
        self.faces = as_faces("faces", faces, count)
        rest = self._rest_shape(rest_vertices, count)
        self.edges = mesh_edges(self.faces)  # (E, 2)
        self.stretch = StretchConstraints.build(
            self.edges, rest, fabric.stretch_compliance, self.device
        )
        self.bending = BendingConstraints.build(
            mesh_hinges(self.faces), rest, fabric.bending_compliance, self.device
        )
        self.masses = torch.as_tensor(
            vertex_masses(rest, self.faces, fabric.density),
            dtype=torch.float32,
            device=self.device,
        )  # (V,)
        self._stretch_scale = (
            settings.relaxation / self.stretch.counts(count).clamp_min(1.0)[:, None]
        )
        self._bending_scale = (
            settings.relaxation / self.bending.counts(count).clamp_min(1.0)[:, None]
        )
        self.set_pinned(pinned)
        self.set_attachments(attachments)
        self.collider = collider
        self.velocities = torch.zeros_like(self.positions)
        self._gravity = torch.tensor(
            settings.gravity, dtype=torch.float32, device=self.device
        )
        self._multiplier = torch.zeros(len(self.edges), device=self.device)
        logger.debug(
            "cloth solver: %s vertices, %s edges, %s hinges",
            count,
            len(self.edges),
            len(self.bending.hinges),
        )

    @property
    def rest_lengths(self) -> np.ndarray:
        """(E,) float32 rest length of each edge of :attr:`edges`, metres."""
        return self.stretch.rest_lengths.cpu().numpy()

    @property
    def vertices(self) -> np.ndarray:
        """(V, 3) float32 current positions, metres."""
        return self.positions.cpu().numpy().copy()

    def set_collider(self, collider: Collider | None) -> None:
        """Replace the collider (for example the body of a new frame)."""
        self.collider = collider

    def set_state(
        self, vertices: np.ndarray, velocities: np.ndarray | None = None
    ) -> None:
        """Warm start: set positions (V, 3) and velocities (V, 3), SI units.

        Raises:
            ValueError: a shape differs from the mesh's (V, 3).
        """
        expected = f"({len(self.positions)}, 3)"
        positions = as_points("vertices", vertices, self.device)
        check_shape("vertices", tuple(positions.shape), expected)
        self.positions = positions.clone()
        if velocities is None:
            self.velocities = torch.zeros_like(self.positions)
        else:
            speeds = as_points("velocities", velocities, self.device)
            check_shape("velocities", tuple(speeds.shape), expected)
            self.velocities = speeds.clone()

    def set_pinned(self, pinned: np.ndarray | None) -> None:
        """Set which vertices never move: (V,) bool, or None for none.

        Raises:
            ValueError: not of shape (V,).
        """
        count = len(self.positions)
        movable = torch.ones(count, dtype=torch.float32, device=self.device)
        if pinned is not None:
            pinned_array = np.asarray(pinned, dtype=bool)
            check_shape("pinned", pinned_array.shape, f"({count},)")
            movable[torch.as_tensor(pinned_array, device=self.device)] = 0.0
        self.movable = movable  # (V,) 1 free, 0 pinned
        self.inverse_masses = movable / self.masses  # (V,)

    def set_attachments(
        self, attachments: tuple[np.ndarray, np.ndarray] | None
    ) -> None:
        """Hold vertices to targets: (indices (K,), targets (K, 3) metres).

        Raises:
            ValueError: bad shapes or indices.
        """
        if attachments is None:
            self._attached = None
            return
        indices = np.asarray(attachments[0], dtype=np.int64).reshape(-1)
        count = len(self.positions)
        if indices.size and (indices.min() < 0 or indices.max() >= count):
            raise ValueError(f"attachment indices must be in 0..{count - 1}")
        targets = as_points("attachment targets", attachments[1], self.device)
        check_shape("attachment targets", tuple(targets.shape), f"({len(indices)}, 3)")
        self._attached = (torch.as_tensor(indices, device=self.device), targets)

    @torch.inference_mode()
    def step(self) -> None:
        """Advance one frame (``settings.substeps`` substeps)."""
        dt = self.settings.time_step / self.settings.substeps
        for _ in range(self.settings.substeps):
            self._substep(dt)

    @torch.inference_mode()
    def settle(self) -> SettleResult:
        """Step until the cloth is at rest or the iteration cap is reached.

        Returns:
            The final state, the substeps taken, the stretch residual,
            whether it converged, and the kinetic energy per frame.
        """
        start = time.perf_counter()
        settings = self.settings
        dt = settings.time_step / settings.substeps
        energies: list[float] = []
        iterations, residual, converged = 0, math.inf, False
        while iterations < settings.max_iterations:
            for _ in range(settings.substeps):
                self._substep(dt)
            iterations += settings.substeps
            energies.append(kinetic_energy(self.velocities, self.masses))
            speed = float(self.velocities.norm(dim=1).max())
            residual = self.stretch.residual(self.positions, self._multiplier, dt)
            if not math.isfinite(speed) or not math.isfinite(residual):
                logger.warning("cloth solver diverged after %s substeps", iterations)
                break
            converged = (
                iterations >= settings.min_iterations
                and speed < settings.speed_tolerance
                and residual < settings.residual_tolerance
            )
            if converged:
                break
        logger.info(
            "cloth settle: %s substeps, residual %.4f, converged %s, %.0f ms",
            iterations,
            residual,
            converged,
            (time.perf_counter() - start) * 1000.0,
        )
        return SettleResult(
            vertices=self.vertices,
            iterations=iterations,
            residual=float(residual),
            converged=converged,
            kinetic_energy=tuple(energies),
        )

    def _substep(self, dt: float) -> None:
        # 1. predict: gravity, then move by the velocity
        previous = self.positions
        self.velocities += (dt * self.movable)[:, None] * self._gravity
        positions = previous + dt * self.velocities

        # 2. project stretch, then bending, each averaged per vertex
        if self.settings.gauss_seidel:
            positions = positions.clone()
            self._multiplier = self.stretch.project_gauss_seidel(
                positions, self.inverse_masses, dt, self.settings.relaxation
            )
        else:
            corrections, self._multiplier = self.stretch.project(
                positions, self.inverse_masses, dt
            )
            positions = positions + corrections * self._stretch_scale
        if self.settings.bending and len(self.bending.hinges):
            corrections = self.bending.project(positions, self.inverse_masses, dt)
            positions = positions + corrections * self._bending_scale
        if self._attached is not None:
            positions = self._attach(positions, dt)

        # 3. collisions with friction; velocities from the positions
        contact = None
        if self.collider is not None:
            positions, contact = self._collide(positions, previous)
        velocities = (positions - previous) / dt
        if contact is not None:
            velocities = _drop_outward_speed(velocities, *contact)
        self.velocities = self._damp(velocities, dt)
        self.positions = positions

    def _attach(self, positions: torch.Tensor, dt: float) -> torch.Tensor:
        indices, targets = self._attached
        weights = self.inverse_masses[indices]  # (K,)
        alpha = self.settings.attachment_compliance / (dt * dt)
        share = (weights / (weights + alpha).clamp_min(1e-12))[:, None]
        moved = positions[indices] + share * (targets - positions[indices])
        return positions.index_copy(0, indices, moved)

    def _collide(
        self, positions: torch.Tensor, previous: torch.Tensor
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        """Push vertices out to the margin; Coulomb friction on the slip."""
        distance, normals = self.collider.query(positions)  # (V,), (V, 3)
        margin = self.fabric.thickness + self.settings.collision_margin
        depth = (margin - distance).clamp_min(0.0) * self.movable  # (V,)
        positions = positions + normals * depth[:, None]

        # friction: cancel the tangential slip up to mu times the push
        slip = positions - previous
        slip = slip - (slip * normals).sum(dim=1, keepdim=True) * normals
        slip_length = slip.norm(dim=1).clamp_min(1e-12)
        share = (self.fabric.friction * depth / slip_length).clamp_max(1.0)
        positions = positions - slip * share[:, None]
        touching = (depth > 0).float()
        return positions, (normals, touching)

    def _damp(self, velocities: torch.Tensor, dt: float) -> torch.Tensor:
        velocities = velocities * math.exp(-self.fabric.damping * dt)
        speed = velocities.norm(dim=1, keepdim=True)  # (V, 1)
        limit = self.settings.max_speed
        return velocities * (limit / speed.clamp_min(limit))

    def _rest_shape(self, rest_vertices: np.ndarray | None, count: int) -> np.ndarray:
        if rest_vertices is None:
            return self.positions.cpu().numpy().astype(np.float64)
        rest = as_points("rest_vertices", rest_vertices).numpy().astype(np.float64)
        check_shape("rest_vertices", rest.shape, f"({count}, 3)")
        return rest


def _drop_outward_speed(
    velocities: torch.Tensor, normals: torch.Tensor, touching: torch.Tensor
) -> torch.Tensor:
    """Remove the outward normal speed of touching vertices (no bounce)."""
    outward = (velocities * normals).sum(dim=1).clamp_min(0.0) * touching  # (V,)
    return velocities - outward[:, None] * normals
