"""Accounts in SQLite: Argon2 hashes, sessions with their own CSRF token, throttled sign-in."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from policeperf.errors import PolicePerfError
from policeperf.web.accounts import Accounts, Role, SignInRefused

PASSWORD = "a long enough password"


@pytest.fixture()
def accounts(tmp_path: Path) -> Accounts:
    return Accounts(tmp_path / "accounts.sqlite", max_failures=3, lockout_seconds=30)


def test_an_account_keeps_only_an_argon2_hash_of_its_password(accounts: Accounts) -> None:
    accounts.add("ed", "editor", PASSWORD)
    rows = sqlite3.connect(accounts.path).execute("SELECT * FROM users").fetchall()
    assert len(rows) == 1 and rows[0][2].startswith("$argon2id$")
    assert PASSWORD not in repr(rows)
    assert [(u.name, u.role) for u in accounts.users()] == [("ed", Role.EDITOR)]


@pytest.mark.parametrize(("name", "role", "password"), [
    ("ed ward", "editor", PASSWORD), ("ed", "owner", PASSWORD), ("ed", "editor", "short")])
def test_bad_names_roles_and_passwords_are_refused(
    accounts: Accounts, name: str, role: str, password: str
) -> None:
    with pytest.raises(PolicePerfError):
        accounts.add(name, role, password)


def test_a_name_is_taken_once(accounts: Accounts) -> None:
    accounts.add("ed", "viewer", PASSWORD)
    with pytest.raises(PolicePerfError, match="already exists"):
        accounts.add("ed", "admin", PASSWORD)


def test_a_session_has_its_own_csrf_token_and_only_its_hash_is_stored(
    accounts: Accounts
) -> None:
    accounts.add("ed", "editor", PASSWORD)
    opened = accounts.sign_in("ed", PASSWORD, "127.0.0.1")
    assert opened is not None
    token, session = opened
    assert session.user.name == "ed" and len(session.csrf) > 30
    stored = sqlite3.connect(accounts.path).execute("SELECT token_hash FROM sessions").fetchone()
    assert token not in stored[0]
    found = accounts.session(token)
    assert found is not None and found.csrf == session.csrf
    assert accounts.session("forged") is None
    accounts.end_session(token)
    assert accounts.session(token) is None


def test_a_new_password_or_a_removed_account_ends_its_sessions(accounts: Accounts) -> None:
    accounts.add("ed", "editor", PASSWORD)
    opened = accounts.sign_in("ed", PASSWORD, "a")
    assert opened is not None
    accounts.set_password("ed", "another long password")
    assert accounts.session(opened[0]) is None
    assert accounts.sign_in("ed", PASSWORD, "a") is None
    second = accounts.sign_in("ed", "another long password", "a")
    assert second is not None
    accounts.remove("ed")
    assert accounts.session(second[0]) is None
    with pytest.raises(PolicePerfError):
        accounts.remove("ed")


def test_repeated_failures_lock_the_account_and_the_address_with_growing_waits(
    accounts: Accounts
) -> None:
    accounts.add("ed", "editor", PASSWORD)
    for _ in range(3):
        assert accounts.sign_in("ed", "wrong password!", "10.0.0.1") is None
    with pytest.raises(SignInRefused) as first:
        accounts.sign_in("ed", PASSWORD, "10.0.0.2")  # right password, account locked
    assert 25 <= first.value.retry_after <= 30
    with pytest.raises(SignInRefused):
        accounts.sign_in("someone", PASSWORD, "10.0.0.1")  # the address is locked too
    with sqlite3.connect(accounts.path) as db:  # let the lock run out, keep the count
        db.execute("UPDATE failures SET locked_until = ?", (time.time() - 1,))
    assert accounts.sign_in("ed", "wrong again!!", "10.0.0.3") is None
    with pytest.raises(SignInRefused) as second:
        accounts.sign_in("ed", PASSWORD, "10.0.0.3")
    assert second.value.retry_after > 50  # doubled


def test_an_unknown_name_fails_like_a_wrong_password(accounts: Accounts) -> None:
    start = time.perf_counter()
    assert accounts.sign_in("nobody", PASSWORD, "x") is None
    assert time.perf_counter() - start > 0.005  # a hash was checked all the same
