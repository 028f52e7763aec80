"""Payload keys in the `MES_PAYLOAD_KEYS` format shared with the TypeScript side (config/payload-keys.ts)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_HEX_KEY = re.compile(r"^[0-9a-fA-F]{64}$")


class PayloadKeysError(Exception):
    """Raised when the payload keys are missing or malformed. The message gives the expected format."""


@dataclass(frozen=True)
class PayloadKeys:
    """Every key that decrypts, by id, and the id of the key that encrypts new payloads."""

    keys: dict[str, bytes]
    current_key_id: str


def parse_payload_keys(text: str) -> PayloadKeys:
    """Parses ``k2:<64 hex>,k1:<64 hex>``: the first key encrypts, every listed key decrypts."""
    keys: dict[str, bytes] = {}
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        key_id, _, hex_key = entry.partition(":")
        if not key_id or not _HEX_KEY.match(hex_key):
            raise PayloadKeysError(f'Invalid payload key "{key_id or entry}": expected id:<64 hexadecimal characters>')
        keys[key_id] = bytes.fromhex(hex_key)

    if not keys:
        raise PayloadKeysError("No payload key given: expected id:<64 hexadecimal characters>[,id:<hex>...]")
    return PayloadKeys(keys=keys, current_key_id=next(iter(keys)))


def load_payload_keys(environment_keys: str | None, data_dir: Path) -> PayloadKeys:
    """Reads the keys from ``MES_PAYLOAD_KEYS``, else from the key file that ``mes`` creates in the data folder.

    Unlike the TypeScript side, a client never creates the key file: keys of its own would not match the
    workers', which could then not read its requests.
    """
    if environment_keys:
        return parse_payload_keys(environment_keys)

    key_file = data_dir / "keys" / "payload-keys"
    try:
        text = key_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PayloadKeysError(
            f"No payload keys: MES_PAYLOAD_KEYS is not set and {key_file} does not exist. "
            "Set MES_PAYLOAD_KEYS to the workers' keys (id:<64 hex>[,id:<64 hex>...]), "
            "or MES_DATA_DIR to the data folder of the running mes dev"
        ) from None
    return parse_payload_keys(text.strip())
