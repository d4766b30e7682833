"""Accounts of the merchandiser and analyst apps: password hashes and roles.

An account is ``user:role:hash``, where ``hash`` is what
:func:`hash_password` makes: ``scrypt$n$r$p$salt$digest`` with the salt
and digest in URL-safe base64, so it holds neither ``:`` nor ``,`` and
fits the ``TRYON_ACCOUNTS`` variable (see ``tryon.settings``).

Without configured accounts, a new data directory gets one ``merchant``
and one ``analyst`` account with generated passwords. The passwords are
written once, in clear, to ``accounts.txt`` (mode 0600) for the operator
to read; their hashes go to ``accounts.hashes`` (mode 0600), which is
what later starts read, so the operator may delete ``accounts.txt``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from tryon.errors import InputError
from tryon.settings import Settings

__all__ = [
    "ROLES",
    "Account",
    "hash_password",
    "verify_password",
    "parse_accounts",
    "load_accounts",
    "authenticator",
]

logger = logging.getLogger(__name__)

ROLES = ("merchant", "analyst")
"""The roles that have a login; the shopper's app is open."""

PASSWORDS_FILE = "accounts.txt"
HASHES_FILE = "accounts.hashes"

# scrypt cost: 16 MiB of memory and about 50 ms per check on this machine.
_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1
_SALT_BYTES = 16
_DIGEST_BYTES = 32


@dataclass(frozen=True)
class Account:
    """One login of the merchandiser or analyst app.

    Attributes:
        user: the login name.
        role: one of :data:`ROLES`.
        password_hash: what :func:`hash_password` made of the password.
    """

    user: str
    role: str
    password_hash: str

    def entry(self) -> str:
        """The account as a ``user:role:hash`` entry."""
        return f"{self.user}:{self.role}:{self.password_hash}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=256 * 1024 * 1024,
        dklen=_DIGEST_BYTES,
    )


def hash_password(password: str, salt: bytes | None = None) -> str:
    """Hash a password with scrypt and a random salt.

    Args:
        password: the password in clear.
        salt: 16 random bytes by default; give one only in tests.

    Returns:
        ``scrypt$n$r$p$salt$digest`` (base64 parts, no ``:`` or ``,``).
    """
    salt = secrets.token_bytes(_SALT_BYTES) if salt is None else salt
    digest = _scrypt(password, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
    return "$".join(
        ["scrypt", str(_SCRYPT_N), str(_SCRYPT_R), str(_SCRYPT_P)]
        + [_b64(salt), _b64(digest)]
    )


def verify_password(password: str, password_hash: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (constant-time compare).

    A malformed hash never matches.
    """
    try:
        scheme, n, r, p, salt, digest = password_hash.split("$")
        if scheme != "scrypt":
            return False
        expected = _unb64(digest)
        actual = _scrypt(password, _unb64(salt), int(n), int(r), int(p))
    except ValueError:
        logger.warning("an account has a malformed password hash")
        return False
    return hmac.compare_digest(actual, expected)


def _parse_entry(entry: str) -> Account:
    parts = entry.strip().split(":")
    if len(parts) != 3 or not all(parts):
        raise InputError(
            f"account entry {parts[0]!r} is not user:role:hash; "
            "make the hash with tryon.auth.hash_password"
        )
    user, role, password_hash = parts
    if role not in ROLES:
        raise InputError(
            f"account {user!r} has role {role!r}; use one of {', '.join(ROLES)}"
        )
    if not password_hash.startswith("scrypt$"):
        raise InputError(
            f"account {user!r} has a hash that is not from "
            "tryon.auth.hash_password; make one with it"
        )
    return Account(user=user, role=role, password_hash=password_hash)


def parse_accounts(entries: Iterable[str]) -> tuple[Account, ...]:
    """Parse ``user:role:hash`` entries.

    Raises:
        InputError: an entry is malformed or names an unknown role.
    """
    return tuple(_parse_entry(entry) for entry in entries if entry.strip())


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to a new file readable by its owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


def _generate_accounts(home: Path) -> tuple[Account, ...]:
    """Make one account per role with a random password; write both files."""
    passwords = {role: secrets.token_urlsafe(12) for role in ROLES}
    accounts = tuple(
        Account(user=role, role=role, password_hash=hash_password(password))
        for role, password in passwords.items()
    )
    lines = ["# tryon web app logins (generated once; keep this file private)"]
    lines += [f"{role}: user {role}, password {pw}" for role, pw in passwords.items()]
    _write_private(home / PASSWORDS_FILE, "\n".join(lines) + "\n")
    _write_private(home / HASHES_FILE, "\n".join(a.entry() for a in accounts) + "\n")
    logger.warning(
        "generated logins for the merchant and analyst apps; their passwords are in %s",
        home / PASSWORDS_FILE,
    )
    return accounts


def load_accounts(settings: Settings) -> tuple[Account, ...]:
    """The accounts of this installation.

    From ``TRYON_ACCOUNTS`` when set; otherwise from the data directory's
    ``accounts.hashes``, generated (with ``accounts.txt``) on first use.

    Raises:
        InputError: a configured entry is malformed.
    """
    if settings.accounts:
        return parse_accounts(settings.accounts)
    hashes = settings.home / HASHES_FILE
    if hashes.exists():
        accounts = parse_accounts(hashes.read_text(encoding="utf-8").splitlines())
        logger.info("loaded %d accounts from %s", len(accounts), hashes)
        return accounts
    return _generate_accounts(settings.home)


def authenticator(accounts: Iterable[Account], role: str) -> Callable[[str, str], bool]:
    """A login check for one role's app, as Gradio's ``auth`` wants it.

    Args:
        accounts: every account of the installation.
        role: the role the app is for; other roles' accounts are refused.

    Returns:
        ``check(user, password) -> bool``.
    """
    by_user = {a.user: a for a in accounts if a.role == role}
    # A hash to compare against when the user is unknown, so that a wrong
    # user name takes as long as a wrong password.
    decoy = hash_password(secrets.token_urlsafe(12))

    def check(user: str, password: str) -> bool:
        account = by_user.get(user)
        matched = verify_password(password, account.password_hash if account else decoy)
        if not (matched and account):
            logger.info("refused a %s login for user %r", role, user)
            return False
        return True

    return check
