"""Client secrets at rest: encrypted with a key derived from SECRET_KEY, so a database dump alone reveals none."""
import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


class SecretUnreadable(Exception):
    """The stored secret was encrypted under another SECRET_KEY: an admin must enter it again."""


def _fernet() -> Fernet:
    """Fernet (AES-CBC with an HMAC) under a key of its own, derived so that it never doubles as the
    session-signing key, and changes when SECRET_KEY does."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"survey oidc client secret").derive(
        current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken as error:
        raise SecretUnreadable() from error
