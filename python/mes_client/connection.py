"""A Temporal client that reads and writes the orchestrator's encrypted payloads."""

from __future__ import annotations

import dataclasses

import temporalio.converter
from temporalio.client import Client

from .codec import AesGcmPayloadCodec
from .settings import ClientSettings


async def connect(settings: ClientSettings) -> Client:
    """Connects to the orchestrator's Temporal namespace with the AES-256-GCM payload codec of its workers."""
    codec = AesGcmPayloadCodec(settings.payload_keys.keys, settings.payload_keys.current_key_id)
    data_converter = dataclasses.replace(temporalio.converter.default(), payload_codec=codec)
    return await Client.connect(settings.temporal_address, namespace=settings.namespace, data_converter=data_converter)
