"""Sends one message to a patient through the orchestrator, from a JSON request on standard input.

The request follows schemas/send-message.input.schema.json. Standard output gets JSON lines:

    {"decision": {...}}    as soon as the message is stored (schemas/decision-update.result.schema.json)
    {"result": {...}}      once the notification is settled (schemas/delivery.result.schema.json)
    {"rejection": {...}}   instead, with "errorCode" (schemas/failure-codes.schema.json) and a French "message"

Exit status: 0 accepted, 1 rejected, 2 wrong command line or settings, 3 service failure (on standard error).
Settings: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, MES_TASK_QUEUE, MES_PAYLOAD_KEYS (else MES_DATA_DIR's key file).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from typing import Any

from mes_client import (
    INVALID_REQUEST,
    ClientSettings,
    MesRejectionError,
    PayloadKeysError,
    connect,
    load_settings,
    message_result,
    start_message_delivery,
    validate_request,
)

EXIT_ACCEPTED = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2
EXIT_SERVICE_FAILURE = 3


def emit(line: dict[str, Any]) -> None:
    """Writes one JSON line at once, so that a caller reads the decision before the notification is settled."""
    print(json.dumps(line, ensure_ascii=False), flush=True)


def read_request() -> object:
    """Parses standard input as JSON. Text that is not JSON is an invalid request, like a schema violation."""
    text = sys.stdin.read()
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise MesRejectionError(
            INVALID_REQUEST,
            f"Requête invalide : le texte reçu n'est pas du JSON (ligne {error.lineno}, colonne {error.colno}).",
        ) from None


async def deliver(settings: ClientSettings, request: Any, wait_for_result: bool) -> None:
    client = await connect(settings)

    decision = await start_message_delivery(client, settings.task_queue, request)
    emit({"decision": decision})

    if wait_for_result:
        emit({"result": await message_result(client, request["id"])})


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Sends one message (JSON on standard input) to a patient.")
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help="print the decision and exit without waiting for the patient's notification",
    )
    arguments = parser.parse_args(argv)

    # The messages are UTF-8 French text whatever the locale of the calling process.
    sys.stdin.reconfigure(encoding="utf-8")
    sys.stdout.reconfigure(encoding="utf-8")

    try:
        settings = load_settings(os.environ)
    except PayloadKeysError as error:
        print(f"send_message: {error}", file=sys.stderr)
        return EXIT_USAGE

    try:
        request = read_request()
        # Checked before connecting, so that an invalid request is rejected even when no server is reachable.
        validate_request("send-message.input", request)
        asyncio.run(deliver(settings, request, wait_for_result=not arguments.no_wait))
    except MesRejectionError as rejection:
        emit({"rejection": rejection.to_json()})
        return EXIT_REJECTED
    except Exception as error:  # noqa: BLE001 - the process boundary: report any failure and exit non-zero.
        print(
            f"send_message: {type(error).__name__}: {error} "
            f"(Temporal at {settings.temporal_address}, namespace {settings.namespace}, "
            f"task queue {settings.task_queue})",
            file=sys.stderr,
        )
        return EXIT_SERVICE_FAILURE
    return EXIT_ACCEPTED


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # The SDK's native runtime keeps threads that can abort the interpreter while it finalizes ("PyGILState_Release
    # ... must be current"), which turned a delivered message into a crash. Leaving without finalizing avoids it;
    # the output is flushed above and nothing else is left to clean up.
    os._exit(code)
