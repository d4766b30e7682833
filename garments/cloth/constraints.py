"""Vectorised XPBD constraint kernels: stretch and bending.

Each kernel projects all its constraints at once from the same positions
(Jacobi) and returns the position corrections summed per vertex; the
solver averages them by each vertex's constraint count (Jacobi with
constraint averaging). No Python loop runs over vertices or constraints,
and corrections are summed with ``index_add_``, deterministic on CPU.

Stretch: one distance constraint per edge, ``C = |x1 - x0| - rest``,
compliance ``stretch_compliance`` (m/N) per edge.

Bending: one dihedral-angle constraint per hinge (an edge shared by two
triangles), ``C = angle - rest angle``, with the rest angle taken from the
rest shape, so curved garments keep their shape. The compliance of a
hinge is ``bending_compliance * (A1 + A2) / (3 |e|^2)``: the discrete
shell scaling that makes the fabric's flexural rigidity independent of
the mesh resolution.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

__all__ = ["BendingConstraints", "StretchConstraints", "dihedral_angles"]


@dataclass
class StretchConstraints:
    """Distance constraints along the edges of the mesh.

    Attributes:
        edges: (E, 2) int64 vertex indices.
        rest_lengths: (E,) float32, metres.
        compliance: (E,) float32, m/N.
        scatter: (2E,) int64, both ends of every edge, for ``index_add_``.
    """

    edges: torch.Tensor
    rest_lengths: torch.Tensor
    compliance: torch.Tensor
    scatter: torch.Tensor
    colours: list[torch.Tensor]

    @classmethod
    def build(
        cls,
        edges: np.ndarray,
        rest_vertices: np.ndarray,
        stretch_compliance: float,
        device: torch.device,
    ) -> StretchConstraints:
        rest = np.linalg.norm(
            rest_vertices[edges[:, 1]] - rest_vertices[edges[:, 0]], axis=1
        )
        as_float = {"dtype": torch.float32, "device": device}
        edge_tensor = torch.as_tensor(edges, dtype=torch.int64, device=device)
        return cls(
            edges=edge_tensor,
            rest_lengths=torch.as_tensor(np.maximum(rest, 1e-9), **as_float),
            compliance=torch.full((len(edges),), stretch_compliance, **as_float),
            scatter=torch.cat([edge_tensor[:, 0], edge_tensor[:, 1]]),
            colours=[
                torch.as_tensor(group, device=device) for group in colour_edges(edges)
            ],
        )

    def project(
        self, positions: torch.Tensor, inverse_masses: torch.Tensor, dt: float
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """One Jacobi pass over every edge.

        Args:
            positions: (V, 3) float32, metres.
            inverse_masses: (V,) float32, 1/kg (0 for pinned vertices).
            dt: the substep, seconds.

        Returns:
            (V, 3) summed corrections, metres; (E,) the multipliers.
        """
        start, end = self.edges[:, 0], self.edges[:, 1]
        offset = positions[end] - positions[start]  # (E, 3)
        length = offset.norm(dim=1).clamp_min(1e-12)  # (E,)
        w_start, w_end = inverse_masses[start], inverse_masses[end]
        alpha = self.compliance / (dt * dt)
        multiplier = (self.rest_lengths - length) / (w_start + w_end + alpha)
        direction = offset * (multiplier / length)[:, None]  # (E, 3)
        moves = torch.cat(
            [-w_start[:, None] * direction, w_end[:, None] * direction]
        )  # (2E, 3)
        corrections = torch.zeros_like(positions).index_add_(0, self.scatter, moves)
        return corrections, multiplier

    def project_gauss_seidel(
        self,
        positions: torch.Tensor,
        inverse_masses: torch.Tensor,
        dt: float,
        relaxation: float = 1.0,
    ) -> torch.Tensor:
        """One Gauss-Seidel pass, colour by colour, in place.

        Edges of one colour share no vertex, so each colour is projected
        at once, and each sees the corrections of the colours before it.

        Args:
            positions: (V, 3) float32, metres; updated in place.
            inverse_masses: (V,) float32, 1/kg.
            dt: the substep, seconds.
            relaxation: successive over-relaxation factor (1 to about 2).

        Returns:
            (E,) the multipliers, in the order of :attr:`edges`.
        """
        multiplier = torch.empty_like(self.rest_lengths)
        alpha = self.compliance / (dt * dt)
        for colour in self.colours:
            start, end = self.edges[colour, 0], self.edges[colour, 1]
            offset = positions[end] - positions[start]  # (C, 3)
            length = offset.norm(dim=1).clamp_min(1e-12)
            w_start, w_end = inverse_masses[start], inverse_masses[end]
            step = (self.rest_lengths[colour] - length) / (
                w_start + w_end + alpha[colour]
            )
            direction = offset * (relaxation * step / length)[:, None]
            positions.index_add_(0, start, -w_start[:, None] * direction)
            positions.index_add_(0, end, w_end[:, None] * direction)
            multiplier[colour] = step
        return multiplier

    def residual(
        self, positions: torch.Tensor, multiplier: torch.Tensor, dt: float
    ) -> float:
        """Max relative XPBD residual ``|C + alpha lambda| / rest``."""
        offset = positions[self.edges[:, 1]] - positions[self.edges[:, 0]]
        constraint = offset.norm(dim=1) - self.rest_lengths  # (E,)
        value = constraint + self.compliance / (dt * dt) * multiplier
        return float((value.abs() / self.rest_lengths).max()) if len(value) else 0.0

    def counts(self, num_vertices: int) -> torch.Tensor:
        """(V,) float32 number of edges at each vertex."""
        return torch.bincount(self.scatter, minlength=num_vertices).float()


@dataclass
class BendingConstraints:
    """Dihedral-angle constraints on the hinges of the mesh.

    Attributes:
        hinges: (H, 4) int64: hinge edge (a, b), then the opposite vertex
            in each of the two triangles.
        rest_angles: (H,) float32, radians.
        compliance: (H,) float32, 1/(N m) scaled per hinge.
        scatter: (4H,) int64 vertex indices, for ``index_add_``.
    """

    hinges: torch.Tensor
    rest_angles: torch.Tensor
    compliance: torch.Tensor
    scatter: torch.Tensor

    @classmethod
    def build(
        cls,
        hinges: np.ndarray,
        rest_vertices: np.ndarray,
        bending_compliance: float,
        device: torch.device,
    ) -> BendingConstraints:
        rest = torch.as_tensor(rest_vertices, dtype=torch.float64)
        hinge_tensor = torch.as_tensor(hinges, dtype=torch.int64)
        angles = dihedral_angles(rest, hinge_tensor)
        corners = rest[hinge_tensor]  # (H, 4, 3)
        edge = corners[:, 1] - corners[:, 0]
        area_a = torch.linalg.cross(edge, corners[:, 2] - corners[:, 0]).norm(dim=1)
        area_b = torch.linalg.cross(edge, corners[:, 3] - corners[:, 0]).norm(dim=1)
        scale = 0.5 * (area_a + area_b) / (3.0 * (edge * edge).sum(1).clamp_min(1e-18))
        return cls(
            hinges=hinge_tensor.to(device),
            rest_angles=angles.to(device=device, dtype=torch.float32),
            compliance=(bending_compliance * scale).to(device, torch.float32),
            scatter=hinge_tensor.t().reshape(-1).to(device),
        )

    def project(
        self, positions: torch.Tensor, inverse_masses: torch.Tensor, dt: float
    ) -> torch.Tensor:
        """One Jacobi pass over every hinge; (V, 3) summed corrections."""
        # 1. the angle and its gradient with respect to the four corners
        angle, gradients = dihedral_angles_and_gradients(positions, self.hinges)
        difference = torch.remainder(angle - self.rest_angles + torch.pi, 2 * torch.pi)
        constraint = difference - torch.pi  # (H,) in [-pi, pi)

        # 2. the XPBD multiplier of each hinge
        weights = inverse_masses[self.hinges]  # (H, 4)
        stiffness = (weights * (gradients * gradients).sum(dim=2)).sum(dim=1)
        alpha = self.compliance / (dt * dt)
        multiplier = -constraint / (stiffness + alpha).clamp_min(1e-12)  # (H,)

        # 3. corrections, gathered per vertex in column order a, b, c, d
        moves = gradients * (weights * multiplier[:, None])[..., None]  # (H, 4, 3)
        corrections = torch.zeros_like(positions)
        return corrections.index_add_(
            0, self.scatter, moves.transpose(0, 1).reshape(-1, 3)
        )

    def counts(self, num_vertices: int) -> torch.Tensor:
        """(V,) float32 number of hinges touching each vertex."""
        return torch.bincount(self.scatter, minlength=num_vertices).float()


def dihedral_angles(positions: torch.Tensor, hinges: torch.Tensor) -> torch.Tensor:
    """Signed dihedral angle of each hinge, radians, 0 when flat.

    Args:
        positions: (V, 3).
        hinges: (H, 4) int64, as in :class:`BendingConstraints`.

    Returns:
        (H,) in (-pi, pi].
    """
    corners = positions[hinges]  # (H, 4, 3)
    edge = corners[:, 1] - corners[:, 0]
    normal_a = torch.linalg.cross(edge, corners[:, 2] - corners[:, 0])
    normal_b = torch.linalg.cross(corners[:, 3] - corners[:, 0], edge)
    unit_edge = edge / edge.norm(dim=1, keepdim=True).clamp_min(1e-12)
    sine = (torch.linalg.cross(normal_a, normal_b) * unit_edge).sum(dim=1)
    cosine = (normal_a * normal_b).sum(dim=1)
    return torch.atan2(sine, cosine)


def dihedral_angles_and_gradients(
    positions: torch.Tensor, hinges: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Dihedral angles (H,) and their gradients (H, 4, 3), closed form.

    The two opposite corners move the angle along their triangle's normal,
    inversely to their distance from the hinge; the hinge's own corners
    take the opposite of those gradients, split by where the opposite
    corners project onto the hinge, so that the gradients sum to zero and
    are blind to rotations about the hinge.
    """
    corners = positions[hinges]  # (H, 4, 3)
    edge = corners[:, 1] - corners[:, 0]  # (H, 3)
    to_c = corners[:, 2] - corners[:, 0]
    to_d = corners[:, 3] - corners[:, 0]
    normal_a = torch.linalg.cross(edge, to_c)
    normal_b = torch.linalg.cross(to_d, edge)
    length_squared = (edge * edge).sum(dim=1).clamp_min(1e-18)  # (H,)
    length = length_squared.sqrt()
    sine = (torch.linalg.cross(normal_a, normal_b) * edge).sum(dim=1) / length
    angle = torch.atan2(sine, (normal_a * normal_b).sum(dim=1))

    grad_c = (
        -normal_a * (length / (normal_a * normal_a).sum(1).clamp_min(1e-18))[:, None]
    )
    grad_d = (
        -normal_b * (length / (normal_b * normal_b).sum(1).clamp_min(1e-18))[:, None]
    )
    along_c = ((to_c * edge).sum(dim=1) / length_squared)[:, None]
    along_d = ((to_d * edge).sum(dim=1) / length_squared)[:, None]
    grad_b = -(along_c * grad_c + along_d * grad_d)
    grad_a = -((1.0 - along_c) * grad_c + (1.0 - along_d) * grad_d)
    return angle, torch.stack([grad_a, grad_b, grad_c, grad_d], dim=1)


def colour_edges(edges: np.ndarray) -> list[np.ndarray]:
    """Split edges into groups that share no vertex (greedy colouring).

    Args:
        edges: (E, 2) int vertex indices.

    Returns:
        Index arrays into ``edges``, one per colour, together covering
        every edge once. A vertex of degree d needs at most 2d - 1
        colours; meshes typically need about d + 1.
    """
    used = np.zeros(int(edges.max()) + 1 if len(edges) else 0, dtype=np.int64)
    colour_of = np.empty(len(edges), dtype=np.int64)
    for index, (start, end) in enumerate(edges.tolist()):
        taken = int(used[start] | used[end])
        colour = (~taken & (taken + 1)).bit_length() - 1
        colour_of[index] = colour
        used[start] |= 1 << colour
        used[end] |= 1 << colour
    return [
        np.flatnonzero(colour_of == c) for c in range(colour_of.max(initial=-1) + 1)
    ]
