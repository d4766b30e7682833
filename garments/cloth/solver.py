"""The XPBD cloth solver: many small substeps, few iterations each.

Extended position-based dynamics (Macklin, Mueller and Chentanez 2016)
with the "small steps" scheme (Macklin et al. 2019): a frame is split
into many substeps, and each substep predicts positions from velocities
and gravity, projects the constraints (stretch in two Gauss-Seidel passes
by default, bending once), holds attachments and tethers, resolves
collisions with Coulomb friction, and derives velocities from the
positions. Constraints are projected in a handful of large tensor
operations each (stretch colour by colour; bending all at once, Jacobi),
so a substep costs about the same number of torch calls whatever the
mesh size. What depends only on the mesh, its rest shape and the fabric
(edge colours, hinges, rest lengths and angles, masses) is built once
and kept in a small cache shared by the solvers of that garment and size.

Note:
    There is no self-collision (cloth layers may pass through each other)
    and no sewing between separate mesh parts; a part that rests on
    nothing falls. On this machine (two shared CPU cores, one torch
    thread) a substep of a 4.1k-vertex garment against a linearised body
    collider costs about 2.5 ms of CPU time, and about 3 ms against a
    mesh collider queried every substep.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import torch
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

from garments.cloth.checks import as_faces, as_points, check_shape
from garments.cloth.constraints import BendingConstraints, StretchConstraints
from garments.cloth.fabric import Fabric
from garments.cloth.topology import mesh_edges, mesh_hinges, vertex_masses

if TYPE_CHECKING:
    from garments.colliders import Collider

__all__ = ["ClothSolver", "SettleResult", "SolverSettings"]

logger = logging.getLogger(__name__)

# Solvers built on the same mesh and rest shape share their constraints.
TEMPLATE_CACHE_SIZE = 8


@dataclass(frozen=True)
class SolverSettings:
    """How the solver steps and when it calls the cloth settled.

    Attributes:
        time_step: one frame, seconds; :meth:`ClothSolver.step` advances
            this much and :meth:`ClothSolver.settle` checks convergence
            once per frame.
        substeps: substeps per frame (each projects every constraint).
        stretch_iterations: Gauss-Seidel passes over the stretch
            constraints per substep (more: stiffer at stress
            concentrations, for a fraction of a substep's cost each).
        gravity: (3,) m/s^2 in the cloth's frame (Y up by default).
        bending: whether to project the bending constraints.
        bending_interval: project bending every this many substeps, with
            the compliance of that longer step (bending is soft; this
            saves about a sixth of a substep's cost at 2).
        tethers: whether free vertices are tethered to the nearest pinned
            vertex at their geodesic rest distance (long-range attachments).
        attachment_compliance: compliance of attachments, m/N (0: hard).
        collision_margin: metres kept between the cloth and colliders on
            top of the fabric's thickness (covers collider grid error).
        max_speed: m/s; faster vertices are slowed to this (a guard
            against blow-ups after deep initial penetration).
        max_iterations: the most substeps :meth:`ClothSolver.settle` runs.
        min_iterations: the fewest substeps before it may stop.
        speed_tolerance: settled when the root mean square speed
            (mass-weighted, from the displacement over the last frame) is
            below this, m/s ...
        residual_tolerance: ... and the stretch residual is below this:
            the 99th percentile over edges of ``|C + alpha lambda| / rest``
            (dimensionless; see :meth:`StretchConstraints.residual`).
        settle_damping: extra velocity damping during
            :meth:`ClothSolver.settle`, 1/s, on top of the fabric's (the
            path to rest does not matter there, only the rest state).
        num_threads: torch threads while stepping (restored after), or
            None to leave torch's setting. One thread is fastest for a
            few thousand vertices, and much faster on a loaded machine.
        device: torch device, "cpu" or "cuda".
    """

    time_step: float = 1.0 / 60.0
    substeps: int = 20
    stretch_iterations: int = 2
    gravity: tuple[float, float, float] = (0.0, -9.81, 0.0)
    bending: bool = True
    bending_interval: int = 2
    tethers: bool = True
    attachment_compliance: float = 1e-6
    collision_margin: float = 0.002
    max_speed: float = 10.0
    max_iterations: int = 2000
    min_iterations: int = 20
    speed_tolerance: float = 0.02
    residual_tolerance: float = 0.1
    settle_damping: float = 10.0
    num_threads: int | None = 1
    device: str = "cpu"


@dataclass(frozen=True)
class SettleResult:
    """The cloth at rest, and how the solver got there.

    Attributes:
        vertices: (V, 3) float32, metres, the solver's frame.
        iterations: substeps taken (each projects every constraint).
        residual: the 99th percentile over edges of the relative
            stretch residual ``|C + alpha lambda| / rest`` at the end.
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
        start = as_points("vertices", vertices, self.device)  # (V, 3)
        self.num_vertices = len(start)
        self.faces = as_faces("faces", faces, self.num_vertices)
        rest = self._rest_shape(rest_vertices, start)
        with self._threads():
            template = _template(self.faces, rest, fabric, self.device)
        # fresh containers around the shared tensors: set_pinned replaces
        # the inverse masses they cache per solver
        self.stretch = dataclasses.replace(template.stretch, weights=[])
        self.bending = dataclasses.replace(template.bending, weights=None)
        self.edges = template.edges  # (E, 2) by colour
        self.masses = template.masses  # (V,)
        self._total_mass = template.total_mass
        self._bending_scale = template.bending_scale  # (V,)
        self._positions = start.t().contiguous()  # (3, V)
        self._velocities = torch.zeros_like(self._positions)  # (3, V)
        self._gravity = self._gravity_tensor()
        self._multiplier = torch.zeros(len(self.edges), device=self.device)
        self._substeps_done = 0
        self.set_pinned(pinned)
        self.set_attachments(attachments)
        self.collider = collider
        logger.debug(
            "cloth solver: %s vertices, %s edges in %s colours, %s hinges",
            self.num_vertices,
            len(self.edges),
            len(self.stretch.colours),
            len(self.bending.hinges),
        )

    @staticmethod
    def clear_cache() -> None:
        """Forget the constraints kept per mesh and rest shape (the next
        solver of every garment is built from scratch, as the first is)."""
        with _TEMPLATES_LOCK:
            _TEMPLATES.clear()

    @property
    def rest_lengths(self) -> np.ndarray:
        """(E,) float32 rest length of each edge of :attr:`edges`, metres."""
        return self.stretch.rest_lengths.cpu().numpy()

    @property
    def vertices(self) -> np.ndarray:
        """(V, 3) float32 current positions, metres."""
        return self._positions.t().cpu().numpy().copy()

    @property
    def velocities(self) -> np.ndarray:
        """(V, 3) float32 current velocities, m/s."""
        return self._velocities.t().cpu().numpy().copy()

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
        expected = f"({self.num_vertices}, 3)"
        positions = as_points("vertices", vertices, self.device)
        check_shape("vertices", tuple(positions.shape), expected)
        self._positions = positions.t().contiguous()
        if velocities is None:
            self._velocities = torch.zeros_like(self._positions)
        else:
            speeds = as_points("velocities", velocities, self.device)
            check_shape("velocities", tuple(speeds.shape), expected)
            self._velocities = speeds.t().contiguous()

    def set_pinned(self, pinned: np.ndarray | None) -> None:
        """Set which vertices never move: (V,) bool, or None for none.

        Raises:
            ValueError: not of shape (V,).
        """
        movable = torch.ones(self.num_vertices, device=self.device)
        if pinned is not None:
            pinned_array = np.asarray(pinned, dtype=bool)
            check_shape("pinned", pinned_array.shape, f"({self.num_vertices},)")
            movable[torch.as_tensor(pinned_array, device=self.device)] = 0.0
        self.movable = movable  # (V,) 1 free, 0 pinned
        self.inverse_masses = movable / self.masses  # (V,)
        self.stretch.set_inverse_masses(self.inverse_masses)
        self.bending.set_inverse_masses(self.inverse_masses)
        self._tethers = None
        if pinned is not None and self.settings.tethers:
            self._tethers = self._build_tethers(np.asarray(pinned, dtype=bool))

    def _build_tethers(self, pinned: np.ndarray) -> tuple | None:
        """Long-range attachments to the nearest pinned vertex.

        Kim, Chentanez and Mueller 2012: each free vertex may not move
        farther from its nearest pinned vertex than the geodesic rest
        distance between them. That removes the rubbery sag of a cloth
        hanging from a few vertices at no cost in stiffness elsewhere.
        """
        if not pinned.any():
            return None
        rest = self.stretch.rest_lengths.cpu().numpy().astype(np.float64)
        graph = coo_matrix(
            (rest, (self.edges[:, 0], self.edges[:, 1])),
            shape=(self.num_vertices, self.num_vertices),
        ).tocsr()
        distance, _, source = dijkstra(
            graph,
            directed=False,
            indices=np.flatnonzero(pinned),
            min_only=True,
            return_predecessors=True,
        )
        reachable = np.isfinite(distance) & ~pinned
        free = np.flatnonzero(reachable)
        as_index = {"dtype": torch.int64, "device": self.device}
        return (
            torch.as_tensor(free, **as_index),
            torch.as_tensor(source[free], **as_index),
            torch.as_tensor(distance[free], dtype=torch.float32, device=self.device),
        )

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
        count = self.num_vertices
        if indices.size and (indices.min() < 0 or indices.max() >= count):
            raise ValueError(
                f"attachment indices must be in 0..{count - 1}, "
                f"got {indices.min()}..{indices.max()}"
            )
        targets = as_points("attachment targets", attachments[1], self.device)
        check_shape("attachment targets", tuple(targets.shape), f"({len(indices)}, 3)")
        self._attached = (
            torch.as_tensor(indices, device=self.device),
            targets.t().contiguous(),  # (3, K)
        )

    @torch.inference_mode()
    def step(self) -> None:
        """Advance one frame (``settings.substeps`` substeps)."""
        dt = self.settings.time_step / self.settings.substeps
        self._gravity = self._gravity_tensor()
        with self._threads():
            for index in range(self.settings.substeps):
                last = index == self.settings.substeps - 1
                self._substep(dt, self.fabric.damping, last)

    @torch.inference_mode()
    def settle(self) -> SettleResult:
        """Step until the cloth is at rest or the iteration cap is reached.

        Returns:
            The final state, the substeps taken, the stretch residual,
            whether it converged, and the kinetic energy after each frame.
        """
        start = time.perf_counter()
        settings = self.settings
        dt = settings.time_step / settings.substeps
        damping = self.fabric.damping + settings.settle_damping
        self._gravity = self._gravity_tensor()
        energies: list[float] = []
        iterations, residual, converged = 0, math.inf, False
        with self._threads():
            while iterations < settings.max_iterations and not converged:
                frame_start = self._positions
                for index in range(settings.substeps):
                    self._substep(dt, damping, index == settings.substeps - 1)
                iterations += settings.substeps
                energies.append(self._kinetic_energy())
                speed = self._frame_speed(frame_start)
                residual = self.stretch.residual(self._positions, self._multiplier, dt)
                logger.debug(
                    "frame %s: speed %.4f m/s, residual %.4f, energy %.3g J",
                    iterations // settings.substeps,
                    speed,
                    residual,
                    energies[-1],
                )
                if not math.isfinite(speed) or not math.isfinite(residual):
                    logger.warning("cloth diverged after %s substeps", iterations)
                    break
                converged = (
                    iterations >= settings.min_iterations
                    and speed < settings.speed_tolerance
                    and residual < settings.residual_tolerance
                )
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

    def _gravity_tensor(self) -> torch.Tensor:
        """(3, 1) gravity from the settings, which callers may replace."""
        gravity = torch.tensor(self.settings.gravity, dtype=torch.float32)
        return gravity.to(self.device)[:, None]

    def _kinetic_energy(self) -> float:
        speed_squared = (self._velocities * self._velocities).sum(dim=0)  # (V,)
        return float(0.5 * (self.masses * speed_squared).sum())

    def _frame_speed(self, frame_start: torch.Tensor) -> float:
        """Mass-weighted root mean square speed over the last frame, m/s.

        Taken from the displacement over the whole frame rather than the
        last substep's velocity: one constraint iteration per substep
        leaves a jitter of micrometres that the substep's tiny time step
        turns into centimetres per second, and it averages out here.
        """
        moved = self._positions - frame_start  # (3, V)
        squared = (self.masses * (moved * moved).sum(dim=0)).sum()
        return math.sqrt(float(squared) / self._total_mass) / self.settings.time_step

    @contextmanager
    def _threads(self) -> Iterator[None]:
        wanted = self.settings.num_threads
        before = torch.get_num_threads()
        if wanted is not None and wanted != before:
            torch.set_num_threads(wanted)
        try:
            yield
        finally:
            if wanted is not None and wanted != before:
                torch.set_num_threads(before)

    def _substep(self, dt: float, damping: float, record: bool = True) -> None:
        # 1. predict: gravity, then move by the velocity
        previous = self._positions  # (3, V)
        self._velocities += self._gravity * (dt * self.movable)
        positions = previous + dt * self._velocities

        # 2. stretch (in place, by colour), bending, attachments
        # the multipliers add up over the passes of one substep; only the
        # last substep of a frame keeps them (for the residual)
        passes = max(self.settings.stretch_iterations, 1)
        for index in range(passes):
            multiplier = self.stretch.project(positions, dt, record)
            if record and index == 0:
                self._multiplier = multiplier
            elif record:
                self._multiplier += multiplier
        interval = self.settings.bending_interval
        self._substeps_done += 1
        bend = self._substeps_done % interval == 0
        if self.settings.bending and len(self.bending.hinges) and bend:
            corrections = self.bending.project(positions, dt * interval)
            positions += corrections * self._bending_scale
        if self._attached is not None:
            self._attach(positions, dt)
        if self._tethers is not None:
            self._tether(positions)

        # 3. collisions with friction; velocities from the positions
        if self.collider is not None:
            velocities = self._collide(positions, previous, dt)
        else:
            velocities = (positions - previous) / dt
        speed = (velocities * velocities).sum(dim=0).sqrt_()  # (V,)
        limit = self.settings.max_speed
        scale = (limit / speed.clamp_min_(limit)) * math.exp(-damping * dt)
        self._velocities = velocities * scale
        self._positions = positions

    def _tether(self, positions: torch.Tensor) -> None:
        free, anchor, reach = self._tethers
        offset = positions.index_select(1, free) - positions.index_select(1, anchor)
        length = (offset * offset).sum(dim=0).sqrt_().clamp_min_(1e-12)  # (T,)
        excess = (length - reach).clamp_min_(0.0)
        positions.index_add_(1, free, offset * (-excess / length))

    def _attach(self, positions: torch.Tensor, dt: float) -> None:
        indices, targets = self._attached
        weights = self.inverse_masses[indices]  # (K,)
        alpha = self.settings.attachment_compliance / (dt * dt)
        share = weights / (weights + alpha).clamp_min(1e-12)
        current = positions.index_select(1, indices)  # (3, K)
        positions.index_add_(1, indices, (targets - current) * share)

    def _collide(
        self, positions: torch.Tensor, previous: torch.Tensor, dt: float
    ) -> torch.Tensor:
        """Push out to the margin with Coulomb friction; in place.

        Returns the velocities of the pushed positions, without the
        outward speed of touching vertices (cloth does not bounce).
        """
        query_columns = getattr(self.collider, "query_columns", None)
        if query_columns is not None:
            distance, normals = query_columns(positions)  # (V,), (3, V)
        else:
            points = positions.t().contiguous()  # (V, 3)
            distance, normals = self.collider.query(points)  # (V,), (V, 3)
            normals = normals.t()  # (3, V)
        margin = self.fabric.thickness + self.settings.collision_margin
        depth = (margin - distance).clamp_min_(0.0) * self.movable  # (V,)
        positions += normals * depth

        # friction: cancel the tangential slip, up to mu times the push
        slip = positions - previous  # (3, V)
        slip -= normals * (slip * normals).sum(dim=0)
        slip_length = (slip * slip).sum(dim=0).sqrt_().clamp_min_(1e-12)
        share = (self.fabric.friction * depth / slip_length).clamp_max_(1.0)
        positions -= slip * share

        velocities = (positions - previous) / dt
        outward = (velocities * normals).sum(dim=0).clamp_min_(0.0)
        return velocities - normals * (outward * (depth > 0))

    def _rest_shape(
        self, rest_vertices: np.ndarray | None, start: torch.Tensor
    ) -> np.ndarray:
        if rest_vertices is None:
            return start.cpu().numpy().astype(np.float64)
        rest = as_points("rest_vertices", rest_vertices).numpy().astype(np.float64)
        check_shape("rest_vertices", rest.shape, f"({self.num_vertices}, 3)")
        return rest


@dataclass(frozen=True)
class _Template:
    """What a solver derives from its mesh, rest shape and fabric alone.

    Shared between solvers of one garment in one size: their tensors are
    never written to.
    """

    stretch: StretchConstraints
    bending: BendingConstraints
    edges: np.ndarray  # (E, 2) by colour
    masses: torch.Tensor  # (V,)
    total_mass: float
    bending_scale: torch.Tensor  # (V,) 1 / hinges per vertex


_TEMPLATES: OrderedDict[tuple, _Template] = OrderedDict()
_TEMPLATES_LOCK = threading.Lock()


def _template(
    faces: np.ndarray, rest: np.ndarray, fabric: Fabric, device: torch.device
) -> _Template:
    """The constraints and masses of a mesh, from a small LRU cache.

    Colouring the edges and finding the hinges cost tens of milliseconds
    for a few thousand vertices; the next photo drapes the same garment
    in the same size again, and pays nothing.
    """
    digest = hashlib.blake2b(digest_size=16)
    for array in (faces, rest):
        digest.update(str(array.shape).encode())
        digest.update(np.ascontiguousarray(array).tobytes())
    key = (
        digest.hexdigest(),
        fabric.stretch_compliance,
        fabric.bending_compliance,
        fabric.density,
        str(device),
    )
    with _TEMPLATES_LOCK:
        template = _TEMPLATES.get(key)
        if template is not None:
            _TEMPLATES.move_to_end(key)
            return template
    template = _build_template(faces, rest, fabric, device)
    with _TEMPLATES_LOCK:
        _TEMPLATES[key] = template
        while len(_TEMPLATES) > TEMPLATE_CACHE_SIZE:
            _TEMPLATES.popitem(last=False)
    return template


def _build_template(
    faces: np.ndarray, rest: np.ndarray, fabric: Fabric, device: torch.device
) -> _Template:
    """Colour the edges, find the hinges, lump the masses."""
    stretch = StretchConstraints.build(
        mesh_edges(faces), rest, fabric.stretch_compliance, device
    )
    bending = BendingConstraints.build(
        mesh_hinges(faces), rest, fabric.bending_compliance, device
    )
    masses = torch.as_tensor(
        vertex_masses(rest, faces, fabric.density), dtype=torch.float32, device=device
    )  # (V,)
    hinge_counts = torch.bincount(bending.scatter, minlength=len(rest))
    return _Template(
        stretch=stretch,
        bending=bending,
        edges=stretch.edges.cpu().numpy(),
        masses=masses,
        total_mass=float(masses.sum()),
        bending_scale=1.0 / hinge_counts.clamp_min(1).float(),
    )
