"""Accounts, sessions and sign-in throttling, in a small SQLite file beside the warehouse.

Why SQLite and not the warehouse: the warehouse is replaced whole by every write (copy and swap),
so a sign-in would have to wait for an ingest and would be lost if it raced one. SQLite (stdlib,
WAL mode) takes small concurrent writes from the server and the ``policeperf users`` command.

* Passwords are hashed with Argon2id (argon2-cffi defaults); only the hash is stored.
* A session is a random 256-bit token in an HttpOnly cookie; the file stores its SHA-256, so a
  copy of the file does not hand out sessions. Each session has its own CSRF token.
* Failed sign-ins are counted per account and per client address; after ``max_failures`` the
  key is refused for ``lockout_seconds``, doubling with each further failure (at most an hour).
  An unknown account name costs the same hashing time as a known one.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from policeperf.errors import PolicePerfError

__all__ = ["Accounts", "Role", "Session", "SignInRefused", "User"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS failures (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    last_at REAL NOT NULL,
    locked_until REAL NOT NULL
);
"""
# An account name: letters, digits and . _ @ - (an e-mail address works), 1 to 64 characters.
_NAME = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")
MIN_PASSWORD = 10
FORGET_FAILURES_AFTER = 3600.0  # seconds without a failure after which the count starts again
MAX_LOCKOUT = 3600.0


class Role(StrEnum):
    """What an account may do: read pages, also edit narrative, also everything else."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    def at_least(self, other: Role) -> bool:
        """True when this role may do what ``other`` may."""
        order = [Role.VIEWER, Role.EDITOR, Role.ADMIN]
        return order.index(self) >= order.index(other)


@dataclass(frozen=True)
class User:
    """An account (never its password hash)."""

    name: str
    role: Role
    created_at: str
    changed_at: str


@dataclass(frozen=True)
class Session:
    """A signed-in session: who, and the CSRF token its forms must carry."""

    user: User
    csrf: str
    expires_at: float


class SignInRefused(PolicePerfError):
    """Too many failed sign-ins: refused without checking the password."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(1, round(retry_after))
        super().__init__(f"too many failed sign-ins; try again in {self.retry_after} seconds")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now_text() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime())


class Accounts:
    """The accounts file. Each call opens its own short connection (safe across threads)."""

    def __init__(self, path: Path, *, max_failures: int = 5, lockout_seconds: float = 60.0,
                 session_hours: float = 12.0) -> None:
        self.path = path
        self.max_failures = max_failures
        self.lockout_seconds = lockout_seconds
        self.session_seconds = session_hours * 3600.0
        self.hasher = PasswordHasher()
        self._dummy: str | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    def _dummy_hash(self) -> str:
        """A hash to check an unknown name's password against (same cost as a real one)."""
        if self._dummy is None:
            self._dummy = self.hasher.hash(secrets.token_hex(16))
        return self._dummy

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        try:
            db.execute("PRAGMA foreign_keys=ON")
            yield db
        finally:
            db.close()

    # -- accounts ------------------------------------------------------------------------------

    def add(self, name: str, role: Role | str, password: str) -> User:
        """Create an account. Raises PolicePerfError for a bad name, role or password, or a
        name already taken."""
        _check_name(name)
        role = _role(role)
        _check_password(password)
        now = _now_text()
        with self._db() as db:
            try:
                db.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?)",
                           (name, role.value, self.hasher.hash(password), now, now))
            except sqlite3.IntegrityError:
                raise PolicePerfError(f"an account named {name!r} already exists "
                                      "(set-password changes its password)") from None
        return User(name, role, now, now)

    def get(self, name: str) -> User | None:
        """The account of that name, or None."""
        with self._db() as db:
            row = db.execute("SELECT name, role, created_at, changed_at FROM users "
                             "WHERE name = ?", (name,)).fetchone()
        return None if row is None else User(row[0], Role(row[1]), row[2], row[3])

    def users(self) -> list[User]:
        """Every account, by name."""
        with self._db() as db:
            rows = db.execute("SELECT name, role, created_at, changed_at FROM users "
                              "ORDER BY name").fetchall()
        return [User(r[0], Role(r[1]), r[2], r[3]) for r in rows]

    def remove(self, name: str) -> None:
        """Delete an account and end its sessions."""
        with self._db() as db:
            if db.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount == 0:
                raise PolicePerfError(f"no account named {name!r}")

    def set_role(self, name: str, role: Role | str) -> User:
        """Change an account's role; its sessions end, so the new role applies at once."""
        role = _role(role)
        with self._db() as db:
            changed = db.execute("UPDATE users SET role = ?, changed_at = ? WHERE name = ?",
                                 (role.value, _now_text(), name)).rowcount
            if changed == 0:
                raise PolicePerfError(f"no account named {name!r}")
            db.execute("DELETE FROM sessions WHERE name = ?", (name,))
        found = self.get(name)
        assert found is not None
        return found

    def set_password(self, name: str, password: str) -> None:
        """Change a password; every session of the account ends."""
        _check_password(password)
        with self._db() as db:
            changed = db.execute("UPDATE users SET password_hash = ?, changed_at = ? "
                                 "WHERE name = ?",
                                 (self.hasher.hash(password), _now_text(), name)).rowcount
            if changed == 0:
                raise PolicePerfError(f"no account named {name!r}")
            db.execute("DELETE FROM sessions WHERE name = ?", (name,))
            db.execute("DELETE FROM failures WHERE key = ?", (f"user:{name}",))

    # -- signing in ----------------------------------------------------------------------------

    def sign_in(self, name: str, password: str, client: str) -> tuple[str, Session] | None:
        """Check a password and open a session: (the cookie's token, the session), or None when
        the name or password is wrong. Only the token's hash is stored.

        Raises:
            SignInRefused: The account or the client address failed too often recently.
        """
        keys = [f"user:{name}", f"addr:{client}"]
        now = time.time()
        with self._db() as db:
            for key in keys:
                row = db.execute("SELECT locked_until FROM failures WHERE key = ?",
                                 (key,)).fetchone()
                if row is not None and row[0] > now:
                    raise SignInRefused(row[0] - now)
            row = db.execute("SELECT password_hash FROM users WHERE name = ?",
                             (name,)).fetchone()
        stored = row[0] if row is not None else self._dummy_hash()
        try:
            ok = self.hasher.verify(stored, password) and row is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            self._failed(keys, now)
            return None
        with self._db() as db:
            db.execute(f"DELETE FROM failures WHERE key IN ({', '.join('?' * len(keys))})", keys)
            if self.hasher.check_needs_rehash(stored):
                db.execute("UPDATE users SET password_hash = ? WHERE name = ?",
                           (self.hasher.hash(password), name))
        return self._open_session(name)

    def _failed(self, keys: list[str], now: float) -> None:
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            for key in keys:
                row = db.execute("SELECT count, last_at FROM failures WHERE key = ?",
                                 (key,)).fetchone()
                count = 1 if row is None or now - row[1] > FORGET_FAILURES_AFTER else row[0] + 1
                locked = 0.0
                if count >= self.max_failures:
                    extra = count - self.max_failures
                    locked = now + min(MAX_LOCKOUT, self.lockout_seconds * 2.0 ** min(extra, 20))
                db.execute("INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?)",
                           (key, count, now, locked))
            db.execute("COMMIT")

    def _open_session(self, name: str) -> tuple[str, Session]:
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = time.time()
        expires = now + self.session_seconds
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE expires_at < ?", (now,))
            db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
                       (_digest(token), name, csrf, now, expires))
        user = self.get(name)
        assert user is not None
        return token, Session(user, csrf, expires)

    def session(self, token: str | None) -> Session | None:
        """The live session of a cookie's token, or None (unknown, expired or account gone)."""
        if not token:
            return None
        with self._db() as db:
            row = db.execute(
                "SELECT u.name, u.role, u.created_at, u.changed_at, s.csrf, s.expires_at "
                "FROM sessions s JOIN users u USING (name) WHERE s.token_hash = ?",
                (_digest(token),)).fetchone()
        if row is None or row[5] < time.time():
            return None
        return Session(User(row[0], Role(row[1]), row[2], row[3]), row[4], row[5])

    def end_session(self, token: str | None) -> None:
        """Sign out: forget the session."""
        if token:
            with self._db() as db:
                db.execute("DELETE FROM sessions WHERE token_hash = ?", (_digest(token),))


def _check_name(name: str) -> None:
    if not _NAME.match(name):
        raise PolicePerfError(f"account name {name!r}: use 1 to 64 letters, digits or . _ @ -")


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise PolicePerfError(f"unknown role {role!r}; choose viewer, editor or admin") from None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise PolicePerfError(f"a password needs at least {MIN_PASSWORD} characters")
