"""Settings of a tryon installation, read from the environment in one place.

Every other module asks :func:`load_settings` instead of reading
environment variables itself, so that what can be configured is listed
here and nowhere else.

Variables:
    TRYON_HOME: the data directory (database file, imported meshes,
        trained models). Default ``~/.tryon``.
    TRYON_DATABASE_URL: an SQLAlchemy URL. Default: an SQLite file
        ``tryon.db`` in the data directory.
    TRYON_LOG_LEVEL: ``DEBUG``, ``INFO`` (default), ``WARNING``, ...
    TRYON_ACCOUNTS: accounts of the merchandiser and analyst apps, as
        ``user:role:hash`` entries separated by commas, where ``hash``
        is what ``tryon.auth.hash_password`` makes. Without it, a new
        data directory gets ``merchant`` and ``analyst`` accounts whose
        generated passwords are written once to ``accounts.txt`` in the
        data directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Settings", "load_settings"]


@dataclass(frozen=True)
class Settings:
    """Where tryon keeps its data and how it talks to its database.

    Attributes:
        home: the data directory.
        database_url: SQLAlchemy URL of the event store.
        log_level: name of the logging level.
        accounts: raw ``user:role:hash`` entries, possibly empty.
    """

    home: Path
    database_url: str
    log_level: str = "INFO"
    accounts: tuple[str, ...] = ()

    @property
    def meshes_dir(self) -> Path:
        """Imported garment meshes, stored under their content hash."""
        return self.home / "meshes"

    @property
    def models_dir(self) -> Path:
        """Trained recommendation models."""
        return self.home / "models"

    @property
    def output_dir(self) -> Path:
        """Pictures and previews made for the web app."""
        return self.home / "output"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read the settings from ``environ`` (default: the process environment).

    The data directory is created if it does not exist.
    """
    env = os.environ if environ is None else environ
    home = Path(env.get("TRYON_HOME") or Path.home() / ".tryon").expanduser()
    home.mkdir(parents=True, exist_ok=True)
    database_url = env.get("TRYON_DATABASE_URL") or f"sqlite:///{home / 'tryon.db'}"
    accounts = tuple(
        entry.strip()
        for entry in env.get("TRYON_ACCOUNTS", "").split(",")
        if entry.strip()
    )
    return Settings(
        home=home,
        database_url=database_url,
        log_level=env.get("TRYON_LOG_LEVEL", "INFO").upper(),
        accounts=accounts,
    )
