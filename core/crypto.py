"""Protection of personal data at rest (PIPL).

- `encrypt` / `decrypt`: AES-256-GCM under a key ring from settings.PII_ENCRYPTION_KEYS
  (entries "key_id:base64-of-32-bytes"). The first key encrypts; any key in the ring
  decrypts, so a key can be rotated by putting a new one first and re-encrypting later.
  Tokens read "v1:<key_id>:<base64 nonce+ciphertext>".
- `blind_index`: a keyed HMAC-SHA256 of a normalised value, for exact look-ups without
  decrypting anything. Never a plain hash: the 18-digit ID space is small enough to
  enumerate, the key is what keeps the index from being reversed.
"""

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TOKEN_VERSION = "v1"


@lru_cache(maxsize=8)
def _key_ring(entries: tuple[str, ...]) -> tuple[tuple[str, AESGCM], ...]:
    ring = []
    for entry in entries:
        key_id, sep, encoded = entry.partition(":")
        if not sep or not key_id:
            raise ImproperlyConfigured("PII_ENCRYPTION_KEYS entries read 'key_id:base64key'.")
        raw = base64.b64decode(encoded)
        if len(raw) != 32:
            raise ImproperlyConfigured(f"PII key {key_id!r} must be 32 bytes (AES-256).")
        ring.append((key_id, AESGCM(raw)))
    if not ring:
        raise ImproperlyConfigured("PII_ENCRYPTION_KEYS is empty.")
    return tuple(ring)


def _ring():
    return _key_ring(tuple(settings.PII_ENCRYPTION_KEYS))


def encrypt(plaintext: str, *, purpose: str) -> str:
    """Encrypt `plaintext`; `purpose` is bound as associated data (a token for one field
    cannot be replayed into another)."""
    key_id, aead = _ring()[0]
    nonce = os.urandom(12)
    sealed = aead.encrypt(nonce, plaintext.encode(), purpose.encode())
    return f"{TOKEN_VERSION}:{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, purpose: str) -> str:
    version, key_id, encoded = token.split(":", 2)
    if version != TOKEN_VERSION:
        raise ValueError(f"unknown token version {version!r}")
    keys = dict(_ring())
    if key_id not in keys:
        raise ImproperlyConfigured(f"PII key {key_id!r} is not in PII_ENCRYPTION_KEYS.")
    raw = base64.b64decode(encoded)
    return keys[key_id].decrypt(raw[:12], raw[12:], purpose.encode()).decode()


def blind_index(value: str, *, purpose: str) -> str:
    key = settings.PII_INDEX_KEY.encode()
    message = f"{purpose}:{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
