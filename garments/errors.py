"""Errors of the garment catalog and the mesh importer.

Follows the project convention: an error the user must fix carries
``user_error = True`` and a one-line message that says what was wrong and
what to do.
"""

from __future__ import annotations

__all__ = ["GarmentError", "MeshImportError", "AssetError"]


class GarmentError(Exception):
    """Base of the errors raised by the garment model and importer."""

    user_error = False


class MeshImportError(GarmentError):
    """A mesh file was refused; the message gives the one reason."""

    user_error = True


class AssetError(GarmentError):
    """A stored garment asset is missing or damaged (not the user's doing)."""
