"""Client settings from the same environment variables as the TypeScript side (config/settings.ts)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .payload_keys import PayloadKeys, load_payload_keys

DEFAULT_TEMPORAL_ADDRESS = "127.0.0.1:7233"
"""Frontend of the dev server that `mes dev` starts, on its default port."""

DEFAULT_NAMESPACE = "default"

DEFAULT_TASK_QUEUE = "mon-espace-sante"
"""Task queue of the orchestrator's workers when MES_TASK_QUEUE is not set (config/settings.ts)."""

DEFAULT_DATA_DIR = "./var"


@dataclass(frozen=True)
class ClientSettings:
    """Location of the orchestrator's Temporal namespace and task queue, and the payload keys of its workers."""

    temporal_address: str
    namespace: str
    task_queue: str
    payload_keys: PayloadKeys


def load_settings(environ: Mapping[str, str]) -> ClientSettings:
    """Reads TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, MES_TASK_QUEUE, MES_PAYLOAD_KEYS and MES_DATA_DIR.

    An empty variable counts as unset. Raises ``PayloadKeysError`` when no valid keys are found.
    """

    def setting(name: str, default: str) -> str:
        return environ.get(name) or default

    return ClientSettings(
        temporal_address=setting("TEMPORAL_ADDRESS", DEFAULT_TEMPORAL_ADDRESS),
        namespace=setting("TEMPORAL_NAMESPACE", DEFAULT_NAMESPACE),
        task_queue=setting("MES_TASK_QUEUE", DEFAULT_TASK_QUEUE),
        payload_keys=load_payload_keys(
            environ.get("MES_PAYLOAD_KEYS"),
            Path(setting("MES_DATA_DIR", DEFAULT_DATA_DIR)),
        ),
    )
