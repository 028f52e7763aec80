"""AES-256-GCM payload codec, byte-compatible with the TypeScript one in codec/aes-gcm-codec.ts."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

ENCRYPTED_ENCODING = b"binary/encrypted"
"""Encoding name of an encrypted payload. Payloads with another encoding pass through `decode` unchanged."""

KEY_ID_METADATA = "encryption-key-id"
"""Metadata key that names the key a payload was encrypted with, so that keys can rotate."""

IV_BYTES = 12
KEY_BYTES = 32


class UnknownPayloadKeyError(Exception):
    """Raised when a payload names a key this process does not have: the payload cannot be read here."""

    def __init__(self, key_id: str) -> None:
        super().__init__(
            f'Payload encrypted with key "{key_id}", which is not among MES_PAYLOAD_KEYS; add it to read this payload'
        )
        self.key_id = key_id


class PayloadAuthenticationError(Exception):
    """Raised when a payload fails its GCM tag check: another key under the same id, or altered bytes."""

    def __init__(self, key_id: str) -> None:
        super().__init__(
            f'Payload encrypted with key "{key_id}" failed authentication: the key under that id differs from '
            "the workers' key, or the payload was altered"
        )
        self.key_id = key_id


class AesGcmPayloadCodec(PayloadCodec):
    """Encrypts every payload with AES-256-GCM, as the TypeScript workers and clients do.

    The encrypted payload has the encoding ``binary/encrypted``, the key id in the ``encryption-key-id``
    metadata, and as data a random 12-byte IV, the ciphertext and the 16-byte tag. The plaintext is the
    original Payload protobuf, metadata included, so the JSON converter on the other side reads it unchanged.
    """

    def __init__(self, keys: Mapping[str, bytes], current_key_id: str) -> None:
        current = keys.get(current_key_id)
        if current is None or len(current) != KEY_BYTES:
            raise ValueError(f'The current payload key "{current_key_id}" must be {KEY_BYTES} bytes')
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self._current_key_id = current_key_id

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self._encrypt(payload) for payload in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self._decrypt(payload) for payload in payloads]

    def _encrypt(self, payload: Payload) -> Payload:
        # A GCM nonce must never repeat under one key, and 96 random bits make a repeat negligible.
        iv = os.urandom(IV_BYTES)
        ciphertext_and_tag = self._ciphers[self._current_key_id].encrypt(iv, payload.SerializeToString(), None)
        return Payload(
            metadata={
                "encoding": ENCRYPTED_ENCODING,
                KEY_ID_METADATA: self._current_key_id.encode(),
            },
            data=iv + ciphertext_and_tag,
        )

    def _decrypt(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCRYPTED_ENCODING:
            return payload

        key_id = payload.metadata.get(KEY_ID_METADATA, b"").decode()
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise UnknownPayloadKeyError(key_id)

        data = payload.data
        try:
            plaintext = cipher.decrypt(data[:IV_BYTES], data[IV_BYTES:], None)
        except InvalidTag as error:
            raise PayloadAuthenticationError(key_id) from error
        return Payload.FromString(plaintext)
