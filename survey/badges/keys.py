"""The issuer's signing keys: a JSON Web Key Set file outside the repository, rotatable.

The file (``BADGE_KEYS_FILE``) holds RSA private keys (3072 bits; Open Badges 3.0 makes RS256 the
algorithm every verifier must support), newest first: the first signs new
credentials and status lists; every key's public half stays published, so credentials signed before a
rotation still verify. ``flask --app wsgi badge-keys rotate`` adds a new first key.
Pure: no Flask, no database.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from joserfc.jwk import KeySet, RSAKey


ALGORITHM = "RS256"
KEY_BITS = 3072


class NoKeys(Exception):
    """Badges are not configured: there is no key file."""


def load_keys(path: str | os.PathLike) -> KeySet:
    """The key set in ``path``; NoKeys when the file does not exist, ValueError when it is not a key set
    of RSA private keys with key ids."""
    path = Path(path)
    if not path.is_file():
        raise NoKeys(f"No badge signing keys at {path}.")
    keys = KeySet.import_key_set(json.loads(path.read_text()))
    if not keys.keys or any(key.key_type != "RSA" or not key.is_private or not key.kid for key in keys.keys):
        raise ValueError(f"{path}: every key must be an RSA private key with a key id (kid)")
    return keys


def rotate(path: str | os.PathLike) -> str:
    """Put a new RSA key first in ``path`` (creating the file, readable by its owner only) and
    return its key id. Earlier keys stay, so what they signed still verifies."""
    path = Path(path)
    existing = json.loads(path.read_text())["keys"] if path.is_file() else []
    key = RSAKey.generate_key(KEY_BITS, auto_kid=True, private=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.write_text(json.dumps({"keys": [key.as_dict(private=True), *existing]}, indent=2))
    return key.kid


def signing_key(keys: KeySet) -> RSAKey:
    return keys.keys[0]


def public_key_set(keys: KeySet) -> dict:
    """Every key's public half, as a JWKS document."""
    return {"keys": [{**key.as_dict(private=False), "use": "sig", "alg": ALGORITHM} for key in keys.keys]}
