"""The garment catalog: metadata in the store, meshes in the data directory.

Every garment's record lives in the event store (``tryon.store``); its
asset (simulation and render meshes, texture, binding to the canonical
mannequin) lives in ``settings.meshes_dir / <mesh_key>/``. Writes are
ordered so that a record only ever points at a complete asset directory:
assets are written to a temporary directory and renamed into place first,
then the records are stored in one transaction; when that fails, the
directories written by the import are removed. Asset directories that no
record points at (left by a crash) are garbage-collected.

A new data directory starts with the bundled catalog from
``assets/catalog`` (:meth:`Catalog.ensure_default_catalog`).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import uuid
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from garments.model import Garment, GarmentAsset
from tryon.errors import InputError, NotFound
from tryon.settings import Settings

if TYPE_CHECKING:
    from garments.importer import ImportReport, MannequinMesh
    from tryon.store import Store

__all__ = ["Catalog", "BUNDLED_CATALOG", "canonical_mannequin"]

logger = logging.getLogger(__name__)

BUNDLED_CATALOG = Path(__file__).resolve().parent.parent / "assets" / "catalog"
SEEDED_MARKER = ".catalog-seeded"
TEMP_PREFIX = ".tmp-"
PREVIEW_SUFFIXES = (".png", ".glb")


@lru_cache(maxsize=1)
def canonical_mannequin() -> MannequinMesh:
    """The canonical mannequin as a ``garments.importer.MannequinMesh``.

    Built once per process (mesh, anchors and collider).
    """
    from garments.importer.fitting import MannequinMesh
    from tryon.body import canonical_body

    body = canonical_body()
    try:
        from tryon.body import BodyCollider as collider_type
    except ImportError:
        from garments.colliders import MeshCollider as collider_type
    collider = collider_type(body.vertices, body.faces)
    return MannequinMesh(body.vertices, body.faces, body.anchors, collider)


class Catalog:
    """The garments a shop offers, with their meshes.

    Args:
        settings: where the data directory and the store are.
        store: a ``tryon.store.Store`` (default: ``open_store(settings)``).
        seed: start a new data directory with the bundled catalog.
    """

    def __init__(
        self, settings: Settings, store: Store | None = None, *, seed: bool = True
    ) -> None:
        self.settings = settings
        if store is None:
            from tryon.store import open_store

            store = open_store(settings)
        self.store = store
        self._assets: dict[str, GarmentAsset] = {}
        self._lock = threading.Lock()
        self._seed = seed
        self._seeded = False

    # -- reading -----------------------------------------------------------

    def list(self) -> list[Garment]:
        """Every garment, ordered by name."""
        self._ensure_seeded()
        return [Garment.from_record(r) for r in self.store.list_garments()]

    def get(self, garment_id: str) -> Garment:
        """The garment ``garment_id``.

        Raises:
            NotFound: there is no such garment.
        """
        self._ensure_seeded()
        record = self.store.get_garment(garment_id)
        if record is None:
            raise NotFound(
                f"there is no garment {garment_id!r}; see `tryon garments list`"
            )
        return Garment.from_record(record)

    def asset(self, garment_id: str) -> GarmentAsset:
        """The meshes of garment ``garment_id`` (cached per mesh key).

        Raises:
            NotFound: there is no such garment.
            AssetError: its asset directory is missing or damaged.
        """
        key = self.get(garment_id).mesh_key
        with self._lock:
            cached = self._assets.get(key)
        if cached is not None:
            return cached
        asset = GarmentAsset.load(self.settings.meshes_dir / key)
        with self._lock:
            self._assets[key] = asset
        return asset

    # -- writing -----------------------------------------------------------

    def import_file(
        self, path: str | Path, *, settle: bool = True, **overrides: Any
    ) -> ImportReport:
        """Import a merchandiser's mesh file; every part becomes a garment.

        Args:
            path: OBJ, GLB/glTF, PLY, STL, OFF, or a .zip/.bz2 of one.
            settle: settle each garment on the mannequin with the cloth
                solver (slow on two cores; without it the garment is only
                lifted out of the body).
            **overrides: name, category, units, up, fabric, colour, price,
                sizes, tags (what is left out is detected).

        Returns:
            garments.importer.ImportReport with the new garment ids.

        Raises:
            garments.errors.MeshImportError: the file is refused (one-line
                reason); the catalog is unchanged.
        """
        from garments.importer import build_garments, parse_file, validate

        self._ensure_seeded()
        # Refuse a bad file before the mannequin is built.
        raw = parse_file(Path(path))
        validate(raw)
        result = build_garments(raw, canonical_mannequin(), settle=settle, **overrides)
        garments = [g.with_fields(id=self._free_id(g.id)) for g, _ in result.parts]
        pairs = [(g, a) for g, (_, a) in zip(garments, result.parts, strict=True)]
        self._commit(pairs, source=Path(path))
        return result.report.with_garment_ids([g.id for g in garments])

    def add(self, pairs: Iterable[tuple[Garment, GarmentAsset]]) -> None:
        """Store garments with their assets atomically (all or none)."""
        self._ensure_seeded()
        self._commit(list(pairs))

    def update(self, garment_id: str, **fields: Any) -> Garment:
        """Change metadata of a garment (name, price, tags, sizes, ...).

        Raises:
            NotFound: there is no such garment.
            MeshImportError: a field is unknown or has a bad value.
        """
        if "id" in fields or "mesh_key" in fields:
            raise InputError("the id and mesh of a garment cannot be changed")
        garment = self.get(garment_id).with_fields(**fields)
        self.store.put_garment(garment.to_record())
        return garment

    def remove(self, garment_id: str) -> None:
        """Remove a garment; its asset goes when no other garment uses it.

        Raises:
            NotFound: there is no such garment.
        """
        garment = self.get(garment_id)
        self.store.remove_garment(garment_id)
        in_use = {r["mesh_key"] for r in self.store.list_garments()}
        if garment.mesh_key not in in_use:
            _remove_tree(self.settings.meshes_dir / garment.mesh_key)
            with self._lock:
                self._assets.pop(garment.mesh_key, None)
        logger.info("removed garment %s", garment_id)

    def preview(self, garment_id: str, size: str | None, out_path: str | Path) -> Path:
        """The garment in a size on the mannequin, as a PNG or a GLB.

        Raises:
            NotFound: there is no such garment.
            InputError: the size is not one of the garment's sizes, or the
                file is neither .png nor .glb.
        """
        garment = self.get(garment_id)
        size = size or garment.base_size
        if size not in garment.sizes:
            raise InputError(
                f"size {size!r} is not a size of {garment_id}; "
                f"use one of {', '.join(garment.sizes)}"
            )
        out_path = Path(out_path)
        if out_path.suffix.lower() not in PREVIEW_SUFFIXES:
            raise InputError(f"preview file {out_path.name} must end in .png or .glb")
        self._write_preview(garment, size, out_path)
        return out_path

    def sized_vertices(self, garment_id: str, size: str | None = None) -> np.ndarray:
        """(V, 3) float32 simulation vertices graded to ``size`` (canonical).

        Raises:
            NotFound: there is no such garment.
            InputError: the size is not one of the garment's sizes.
        """
        from garments.grading import grade

        garment = self.get(garment_id)
        size = size or garment.base_size
        if size not in garment.sizes:
            raise InputError(
                f"size {size!r} is not a size of {garment_id}; "
                f"use one of {', '.join(garment.sizes)}"
            )
        asset = self.asset(garment_id)
        mannequin = canonical_mannequin()
        return grade(
            asset.vertices,
            garment.size_chart,
            garment.base_size,
            size,
            mannequin.anchors,
            asset.faces,
        )

    def _write_preview(self, garment: Garment, size: str, out_path: Path) -> None:
        from garments.importer.preview import write_preview

        asset = self.asset(garment.id)
        vertices = self.sized_vertices(garment.id, size)
        mannequin = canonical_mannequin()
        render_vertices = asset.render.follow(vertices, asset.faces)
        write_preview(
            out_path,
            render_vertices,
            asset.render.faces,
            asset.render.uvs,
            asset.render.texture,
            garment.colour,
            mannequin.vertices,
            mannequin.faces,
        )

    # -- the bundled catalog and housekeeping ------------------------------

    def ensure_default_catalog(self) -> int:
        """Seed a new data directory with the bundled catalog (once).

        Idempotent: a data directory that was seeded before (even if
        garments were removed since) is left as it is.

        Returns:
            How many garments were added.
        """
        marker = self.settings.home / SEEDED_MARKER
        if marker.exists():
            return 0
        records = json.loads((BUNDLED_CATALOG / "catalog.json").read_text("utf-8"))
        existing = {r["id"] for r in self.store.list_garments()}
        added = [r for r in records if r["id"] not in existing]
        written = []
        try:
            for record in added:
                written += self._place_dir(
                    BUNDLED_CATALOG / record["mesh_key"], record["mesh_key"], copy=True
                )
            with self.store.batch():
                for record in added:
                    self.store.put_garment(record)
        except BaseException:
            for key in written:
                _remove_tree(self.settings.meshes_dir / key)
            raise
        marker.write_text("bundled catalog added\n", encoding="utf-8")
        logger.info("seeded the catalog with %s bundled garments", len(added))
        return len(added)

    def collect_garbage(self) -> list[str]:
        """Remove asset directories no garment points at; returns their names."""
        root = self.settings.meshes_dir
        if not root.exists():
            return []
        in_use = {r["mesh_key"] for r in self.store.list_garments()}
        removed = []
        for entry in root.iterdir():
            if entry.is_dir() and entry.name not in in_use:
                _remove_tree(entry)
                removed.append(entry.name)
        return removed

    def _ensure_seeded(self) -> None:
        if self._seed and not self._seeded:
            self.ensure_default_catalog()
            self._seeded = True

    def _free_id(self, wanted: str) -> str:
        """``wanted``, or ``wanted-2``, ``-3``... when already in the store."""
        candidate, number = wanted, 1
        while self.store.get_garment(candidate) is not None:
            number += 1
            candidate = f"{wanted}-{number}"
        return candidate

    def _commit(
        self, pairs: list[tuple[Garment, GarmentAsset]], source: Path | None = None
    ) -> None:
        """Write assets (with a copy of the source file) into place, then all
        records in one transaction."""
        written: list[str] = []
        try:
            for garment, asset in pairs:
                written += self._write_asset(garment.mesh_key, asset, source)
            with self.store.batch():
                for garment, _ in pairs:
                    self.store.put_garment(garment.to_record())
        except BaseException:
            for key in written:
                _remove_tree(self.settings.meshes_dir / key)
            raise
        logger.info("stored %s garment(s)", len(pairs))

    def _write_asset(
        self, key: str, asset: GarmentAsset, source: Path | None = None
    ) -> list[str]:
        """Save an asset under its key; returns [key] if this call made it."""
        root = self.settings.meshes_dir
        if (root / key / "asset.npz").exists():
            return []
        temp = root / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
        try:
            asset.save(temp)
            if source is not None:
                (temp / "source").mkdir()
                shutil.copy2(source, temp / "source" / source.name)
            return self._place_dir(temp, key, copy=False)
        finally:
            _remove_tree(temp)

    def _place_dir(self, source: Path, key: str, *, copy: bool) -> list[str]:
        """Move (or copy) a complete asset directory to ``meshes_dir/key``."""
        root = self.settings.meshes_dir
        target = root / key
        if (target / "asset.npz").exists():
            return []
        root.mkdir(parents=True, exist_ok=True)
        if copy:
            temp = root / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
            shutil.copytree(source, temp)
            source = temp
        if target.exists():  # an incomplete leftover
            _remove_tree(target)
        try:
            os.replace(source, target)
        except OSError:
            # Another process put the same content there first.
            _remove_tree(source)
            if (target / "asset.npz").exists():
                return []
            raise
        return [key]


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
