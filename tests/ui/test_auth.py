"""Accounts: hashing, parsing, and the generated logins of a new directory."""

from __future__ import annotations

import stat

import pytest

from tryon.auth import (
    authenticator,
    hash_password,
    load_accounts,
    parse_accounts,
    verify_password,
)
from tryon.errors import InputError
from tryon.settings import load_settings


def test_hash_verifies_only_its_password():
    encoded = hash_password("correct horse")
    assert verify_password("correct horse", encoded)
    assert not verify_password("correct hors", encoded)
    # The hash must fit a user:role:hash,... entry.
    assert ":" not in encoded and "," not in encoded


def test_hashes_are_salted():
    assert hash_password("same") != hash_password("same")


def test_malformed_hash_never_matches():
    assert not verify_password("x", "scrypt$not$a$hash")
    assert not verify_password("x", "md5$1$2$3$4$5")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        # Two fields instead of three.
        (
            "mia:merchant",
            "account entry 'mia' is not user:role:hash; "
            "make the hash with tryon.auth.hash_password",
        ),
        # A role that has no app.
        (
            "mia:admin:scrypt$1$1$1$a$b",
            "account 'mia' has role 'admin'; use one of merchant, analyst",
        ),
        # A hash in clear text.
        (
            "mia:merchant:secret",
            "account 'mia' has a hash that is not from tryon.auth.hash_password; "
            "make one with it",
        ),
    ],
)
def test_bad_entries_are_refused_with_a_message(entry, message):
    with pytest.raises(InputError) as caught:
        parse_accounts([entry])
    assert str(caught.value) == message


def test_authenticator_checks_role_and_password():
    salt = b"0123456789abcdef"
    accounts = parse_accounts(
        [
            f"mia:merchant:{hash_password('m-pass', salt)}",
            f"ana:analyst:{hash_password('a-pass', salt)}",
        ]
    )
    merchant_login = authenticator(accounts, "merchant")
    assert merchant_login("mia", "m-pass")
    assert not merchant_login("mia", "a-pass")
    assert not merchant_login("ana", "a-pass")  # an analyst is not a merchant
    assert not merchant_login("nobody", "m-pass")


def test_new_directory_gets_private_generated_logins_once(tryon_home):
    settings = load_settings()
    accounts = load_accounts(settings)
    assert {a.role for a in accounts} == {"merchant", "analyst"}
    passwords = tryon_home / "accounts.txt"
    assert stat.S_IMODE(passwords.stat().st_mode) == 0o600
    assert stat.S_IMODE((tryon_home / "accounts.hashes").stat().st_mode) == 0o600
    text = passwords.read_text()
    password = text.split("merchant: user merchant, password ")[1].split()[0]
    assert authenticator(accounts, "merchant")("merchant", password)

    # A second start reads the same accounts and does not rewrite the file.
    passwords.unlink()
    again = load_accounts(load_settings())
    assert again == accounts
    assert not passwords.exists()
