"""The event store: garment catalog metadata, shoppers, try-ons, orders, returns.

One :class:`Store` per database URL. Every write is one transaction;
orders and returns are idempotent on the client's key (the same key
hands back the stored record and writes nothing). Shoppers are
anonymous random ids; a shopper's photo is stored only after that
shopper opted in.

Example:
    >>> store = Store("sqlite:///:memory:")
    >>> store.put_garment({"id": "tee", "name": "Tee", "category": "top"})
    >>> store.get_garment("tee")["name"]
    'Tee'
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from tryon.errors import NotFound
from tryon.settings import Settings
from tryon.store import events, schema
from tryon.store import migrate as migrations
from tryon.store.bulk import BulkEvents, load_events
from tryon.store.engine import make_engine
from tryon.store.errors import InvalidEvent
from tryon.store.garment_rows import garment_row, record_from_rows, size_rows
from tryon.store.records import OrderRecord, ReturnRecord

__all__ = ["Store", "open_store", "utc_now"]

logger = logging.getLogger(__name__)


def utc_now() -> datetime:
    """Now as the store keeps times: naive UTC, microseconds dropped."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _naive_utc(moment: datetime | None) -> datetime:
    if moment is None:
        return utc_now()
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _make_sqlite_folder(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (
        None,
        "",
        ":memory:",
    ):
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


class Store:
    """The event store on one database.

    Args:
        url: SQLAlchemy URL, ``sqlite:///FILE`` or
            ``postgresql+psycopg://user@host:port/db``.
        migrate: bring the schema to the newest revision on opening.
    """

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        _make_sqlite_folder(url)
        self.url = url
        self.engine: Engine = make_engine(url)
        self._local = threading.local()
        if migrate:
            migrations.upgrade(self.engine)

    def __repr__(self) -> str:
        return f"Store({make_url(self.url).render_as_string(hide_password=True)!r})"

    def close(self) -> None:
        """Close the database connections."""
        self.engine.dispose()

    # -- transactions ----------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        batch = getattr(self._local, "batch", None)
        if batch is not None:
            yield batch
            return
        with self.engine.connect() as connection:
            connection = connection.execution_options(sqlite_write=True)
            with connection.begin():
                yield connection

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Make the writes of this thread inside the block one transaction.

        Used for bulk loads (``tryon simulate``): either all of the block's
        events are stored or none.
        """
        if getattr(self._local, "batch", None) is not None:
            yield
            return
        with self._writing() as connection:
            self._local.batch = connection
            try:
                yield
            finally:
                self._local.batch = None

    def _in_batch(self) -> bool:
        return getattr(self._local, "batch", None) is not None

    # -- garments --------------------------------------------------------

    def put_garment(self, record: Mapping[str, Any]) -> None:
        """Insert or replace a garment and its sizes, atomically.

        Args:
            record: the garment's fields as JSON-able values (id, name,
                category, fabric, colour, price, tags, sizes, base_size,
                size_chart {size: {chest, waist, hip, length, sleeve: cm}},
                source_file, mesh_key, import_report); other keys are kept
                and handed back by :meth:`get_garment`.

        Raises:
            InputError: the record has no id, name or category.
        """
        now = utc_now()
        row = garment_row(record, now)
        sizes = size_rows(record)
        table = schema.garments
        with self._writing() as connection:
            created = connection.execute(
                select(table.c.created_at).where(table.c.id == row["id"])
            ).scalar_one_or_none()
            connection.execute(
                delete(schema.garment_sizes).where(
                    schema.garment_sizes.c.garment_id == row["id"]
                )
            )
            if created is None:
                connection.execute(insert(table).values(row))
            else:
                values = {k: v for k, v in row.items() if k != "created_at"}
                connection.execute(
                    update(table).where(table.c.id == row["id"]).values(values)
                )
            if sizes:
                connection.execute(insert(schema.garment_sizes), sizes)
        logger.debug("stored garment %s with %d sizes", row["id"], len(sizes))

    def _read_garments(
        self, connection: Connection, garment_id: str | None
    ) -> list[dict[str, Any]]:
        query = select(schema.garments).order_by(
            schema.garments.c.name, schema.garments.c.id
        )
        sizes_query = select(schema.garment_sizes)
        if garment_id is not None:
            query = query.where(schema.garments.c.id == garment_id)
            sizes_query = sizes_query.where(
                schema.garment_sizes.c.garment_id == garment_id
            )
        rows = connection.execute(query).mappings().all()
        by_garment: dict[str, list] = {}
        for size in connection.execute(sizes_query).mappings():
            by_garment.setdefault(size["garment_id"], []).append(size)
        return [record_from_rows(row, by_garment.get(row["id"], [])) for row in rows]

    def get_garment(self, garment_id: str) -> dict[str, Any] | None:
        """The garment record ``garment_id``, or None if there is none."""
        with self.engine.connect() as connection:
            found = self._read_garments(connection, garment_id)
        return found[0] if found else None

    def list_garments(self) -> list[dict[str, Any]]:
        """Every garment record, ordered by name then id."""
        with self.engine.connect() as connection:
            return self._read_garments(connection, None)

    def update_garment(self, garment_id: str, **fields: Any) -> dict[str, Any]:
        """Change some fields of a garment; returns the updated record.

        Raises:
            NotFound: there is no garment ``garment_id``.
            InputError: an update tries to change the id.
        """
        if "id" in fields and fields["id"] != garment_id:
            raise InvalidEvent("a garment's id cannot change; import it anew instead")
        with self.batch():
            record = self._garment_for_update(garment_id)
            record.update(fields)
            self.put_garment(record)
        return record

    def _garment_for_update(self, garment_id: str) -> dict[str, Any]:
        """The garment record, read inside the current write transaction.

        Raises:
            NotFound: there is no garment ``garment_id``.
        """
        with self._writing() as connection:
            found = self._read_garments(connection, garment_id)
        if not found:
            raise NotFound(
                f"there is no garment {garment_id!r}; see tryon garments list"
            )
        return found[0]

    def remove_garment(self, garment_id: str) -> bool:
        """Remove a garment and its sizes (its events stay); True if it existed."""
        with self._writing() as connection:
            result = connection.execute(
                delete(schema.garments).where(schema.garments.c.id == garment_id)
            )
        return result.rowcount > 0

    # -- shoppers --------------------------------------------------------

    def new_shopper(
        self,
        *,
        synthetic: bool = False,
        photo_opt_in: bool = False,
        created_at: datetime | None = None,
    ) -> str:
        """Create an anonymous shopper; returns its random id (``shp_...``)."""
        shopper_id = f"shp_{secrets.token_hex(8)}"
        with self._writing() as connection:
            connection.execute(
                insert(schema.shoppers).values(
                    id=shopper_id,
                    created_at=_naive_utc(created_at),
                    synthetic=synthetic,
                    photo_opt_in=photo_opt_in,
                    measurements_cm=None,
                )
            )
        return shopper_id

    def get_shopper(self, shopper_id: str) -> dict[str, Any] | None:
        """The shopper's row (id, created_at, synthetic, photo_opt_in,
        measurements_cm of the last try-on), or None."""
        with self.engine.connect() as connection:
            row = (
                connection.execute(
                    select(schema.shoppers).where(schema.shoppers.c.id == shopper_id)
                )
                .mappings()
                .first()
            )
        return None if row is None else dict(row)

    def set_photo_opt_in(self, shopper_id: str, opt_in: bool) -> None:
        """Record the shopper's choice; opting out deletes their stored photos.

        Raises:
            NotFound: there is no shopper ``shopper_id``.
        """
        with self._writing() as connection:
            result = connection.execute(
                update(schema.shoppers)
                .where(schema.shoppers.c.id == shopper_id)
                .values(photo_opt_in=bool(opt_in))
            )
            if result.rowcount == 0:
                raise NotFound(f"there is no shopper {shopper_id!r}")
            if not opt_in:
                connection.execute(
                    delete(schema.shopper_photos).where(
                        schema.shopper_photos.c.shopper_id == shopper_id
                    )
                )

    def count_photos(self, shopper_id: str | None = None) -> int:
        """How many shopper photos are stored (of one shopper or all)."""
        table = schema.shopper_photos
        query = select(func.count()).select_from(table)
        if shopper_id is not None:
            query = query.where(table.c.shopper_id == shopper_id)
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    # -- events ----------------------------------------------------------

    def record_tryon(
        self,
        shopper_id: str,
        garment_id: str,
        size: str,
        *,
        measurements_cm: Mapping[str, float] | None = None,
        fit: Mapping[str, Any] | None = None,
        timings_ms: Mapping[str, float] | None = None,
        source: str = "photo",
        synthetic: bool = False,
        created_at: datetime | None = None,
        photo: bytes | None = None,
        photo_media_type: str = "image/jpeg",
    ) -> int:
        """Store one try-on event; returns its id.

        Args:
            shopper_id: anonymous shopper id (created if new).
            garment_id: the garment tried on.
            size: size label tried on.
            measurements_cm: the body's measurements (cm), keyed as in
                ``tryon pose``; stored rounded to the centimetre.
            fit: the report's ``fit`` section (score, recommended_size,
                regions {name: {label, ...}} or region_labels {name:
                label}, strain_p95); the overall label is the region label
                furthest from "good".
            timings_ms: stage timings in milliseconds (``total`` included).
            source: "photo" or "webcam".
            synthetic: True for simulated traffic.
            created_at: event time (default now); aware times are
                converted to UTC.
            photo: the shopper's photo; stored only if the shopper opted
                in, dropped otherwise.
            photo_media_type: MIME type of ``photo``.

        Raises:
            InvalidEvent: the source or a fit label is not in the vocabulary.
        """
        moment = _naive_utc(created_at)
        with self._writing() as connection:
            tryon_id = events.insert_tryon(
                connection,
                shopper_id=shopper_id,
                garment_id=garment_id,
                size=size,
                measurements_cm=measurements_cm,
                fit=fit,
                timings_ms=timings_ms,
                source=source,
                synthetic=synthetic,
                created_at=moment,
            )
            if photo is not None:
                self._store_photo(
                    connection, shopper_id, tryon_id, photo, photo_media_type, moment
                )
        return tryon_id

    def _store_photo(
        self,
        connection: Connection,
        shopper_id: str,
        tryon_id: int,
        photo: bytes,
        media_type: str,
        moment: datetime,
    ) -> None:
        opted_in = connection.execute(
            select(schema.shoppers.c.photo_opt_in).where(
                schema.shoppers.c.id == shopper_id
            )
        ).scalar_one()
        if not opted_in:
            logger.debug("photo of shopper %s not stored: no opt-in", shopper_id)
            return
        connection.execute(
            insert(schema.shopper_photos).values(
                shopper_id=shopper_id,
                tryon_id=tryon_id,
                media_type=media_type,
                data=bytes(photo),
                created_at=moment,
            )
        )

    def record_order(
        self,
        shopper_id: str,
        lines: Sequence[Mapping[str, Any]],
        idempotency_key: str,
        *,
        synthetic: bool = False,
        created_at: datetime | None = None,
    ) -> OrderRecord:
        """Store an order once per idempotency key.

        Args:
            shopper_id: anonymous shopper id (created if new).
            lines: each {garment_id, size, quantity=1, unit_price=None,
                tryon_id=None}; a missing tryon_id is filled with the
                shopper's last try-on of that garment in that size before
                the order, else their last try-on of it in any size.
            idempotency_key: the client's key for this order; a retry
                with the same key returns the stored order
                (``created=False``) and writes nothing.
            synthetic: True for simulated traffic.
            created_at: order time (default now).

        Raises:
            InvalidEvent: no lines, a line without garment or size, an
                empty key.
        """
        if not idempotency_key:
            raise InvalidEvent("an order needs an idempotency key")
        moment = _naive_utc(created_at)
        return self._write_once(
            events.find_order,
            idempotency_key,
            lambda connection: events.insert_order(
                connection,
                shopper_id=shopper_id,
                lines=lines,
                idempotency_key=idempotency_key,
                synthetic=synthetic,
                created_at=moment,
            ),
        )

    def record_return(
        self,
        order_line_id: int,
        reason: str,
        idempotency_key: str,
        *,
        note: str = "",
        synthetic: bool = False,
        created_at: datetime | None = None,
    ) -> ReturnRecord:
        """Store a return of one order line once per idempotency key.

        Args:
            order_line_id: the line sent back (:attr:`OrderLine.id`).
            reason: one of too small, too large, not as pictured, colour,
                quality, changed mind, other.
            idempotency_key: the client's key; a retry returns the stored
                return (``created=False``) and writes nothing.
            note: the shopper's free text.
            synthetic: True for simulated traffic.
            created_at: return time (default now).

        Raises:
            InvalidEvent: the reason is not in the taxonomy, or no key.
            NotFound: there is no such order line.
        """
        if not idempotency_key:
            raise InvalidEvent("a return needs an idempotency key")
        moment = _naive_utc(created_at)
        return self._write_once(
            events.find_return,
            idempotency_key,
            lambda connection: events.insert_return(
                connection,
                order_line_id=order_line_id,
                reason=reason,
                note=note,
                idempotency_key=idempotency_key,
                synthetic=synthetic,
                created_at=moment,
            ),
        )

    def _write_once(self, find, idempotency_key: str, write):
        """``write(connection)`` unless ``find`` has the key stored already."""
        try:
            with self._writing() as connection:
                found = find(connection, idempotency_key)
                if found is not None:
                    return found
                return write(connection)
        except IntegrityError as error:
            # A concurrent retry stored the same key first.
            return self._existing(find, idempotency_key, error)

    def _existing(self, find, idempotency_key: str, error: IntegrityError):
        if self._in_batch():
            raise error
        with self.engine.connect() as connection:
            found = find(connection, idempotency_key)
        if found is None:
            raise error
        return found

    def load_events(self, events: BulkEvents) -> dict[str, int]:
        """Store many events in one transaction (see :mod:`tryon.store.bulk`).

        Returns:
            How many rows went into each table.

        Raises:
            InvalidEvent: an event with a value outside the vocabularies.
        """
        with self._writing() as connection:
            return load_events(connection, events)

    def get_order(self, idempotency_key: str) -> OrderRecord | None:
        """The order stored under ``idempotency_key``, or None."""
        with self.engine.connect() as connection:
            return events.find_order(connection, idempotency_key)

    def has_synthetic_events(self) -> bool:
        """Whether any stored try-on or order comes from ``tryon simulate``."""
        with self.engine.connect() as connection:
            for table in (schema.tryons, schema.orders):
                query = select(table.c.id).where(table.c.synthetic).limit(1)
                if connection.execute(query).first() is not None:
                    return True
        return False


_OPEN: dict[str, Store] = {}
_OPEN_LOCK = threading.Lock()


def open_store(settings: Settings) -> Store:
    """The store of ``settings.database_url``, migrated; one per URL per process."""
    with _OPEN_LOCK:
        store = _OPEN.get(settings.database_url)
        if store is None:
            store = Store(settings.database_url)
            _OPEN[settings.database_url] = store
        return store
