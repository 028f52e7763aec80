"""Starts the orchestrator's `sendMessage` workflow and reads its decision and result."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from temporalio.client import Client, WithStartWorkflowOperation, WorkflowFailureError, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError

from .contract import check_returned_value, contract_schema
from .rejection_error import MesRejectionError
from .request_validation import validate_request

SEND_MESSAGE_WORKFLOW = "sendMessage"
"""Workflow type name registered by the TypeScript workers (workflows/send-message.ts)."""

DECISION_UPDATE = "decision"
"""Update that returns the decision as soon as the message is stored or rejected (workflows/decision-update.ts).
Its name is also its update ID, so a repeated request attaches to the first update and gets its result."""

DeliveryAccepted = dict[str, Any]
"""A decision, as schemas/decision-update.result.schema.json describes it."""

DeliveryResult = dict[str, Any]
"""A settled delivery, as schemas/delivery.result.schema.json describes it."""


def message_workflow_id(message_id: str) -> str:
    """Returns the workflow ID of a message, made from its business ID as workflows/workflow-ids.ts does."""
    return f"message-{message_id}"


@contextmanager
def _rejections_raised() -> Iterator[None]:
    """Raises ``MesRejectionError`` for an update or workflow failure that carries a rejection code.

    The workers reject with a non-retryable ``ApplicationFailure`` whose ``type`` is the code
    (workflows/rejection-failure.ts). Any other failure passes unchanged.
    """
    try:
        yield
    except (WorkflowUpdateFailedError, WorkflowFailureError) as error:
        cause = error.cause
        if isinstance(cause, ApplicationError) and cause.non_retryable and cause.type:
            raise MesRejectionError(cause.type, cause.message) from error
        raise


async def start_message_delivery(client: Client, task_queue: str, request: Mapping[str, Any]) -> DeliveryAccepted:
    """Sends a message to a patient and returns the decision as soon as the message is stored.

    Uses update-with-start: one call starts ``message-<id>`` (or reaches the run already open under that ID)
    and waits for its ``decision`` update, so the patient's notification never delays the decision. Raises
    ``MesRejectionError`` when the request is invalid or the account's status rejects the message.
    """
    validate_request("send-message.input", request)
    message_id = request["id"]

    start_operation = WithStartWorkflowOperation(
        SEND_MESSAGE_WORKFLOW,
        request,
        id=message_workflow_id(message_id),
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        # A closed run is never started again, so that a repeated request delivers nothing twice.
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
    )
    try:
        with _rejections_raised():
            decision = await client.execute_update_with_start_workflow(
                DECISION_UPDATE, start_workflow_operation=start_operation, id=DECISION_UPDATE
            )
    except WorkflowAlreadyStartedError:
        # The run under this ID has closed: its result carries the decision, or its rejection.
        result = await message_result(client, message_id)
        decision_fields = contract_schema("decision-update.result")["properties"]
        decision = {name: value for name, value in result.items() if name in decision_fields}

    check_returned_value("decision-update.result", decision)
    return decision


async def message_result(client: Client, message_id: str) -> DeliveryResult:
    """Waits until the message's notification is settled (sent, queued for the yearly statement, cancelled).

    This can take long: an SMTP outage is retried for up to two days. Raises ``MesRejectionError`` when the
    message was rejected.
    """
    handle = client.get_workflow_handle(message_workflow_id(message_id))
    with _rejections_raised():
        result = await handle.result()

    check_returned_value("delivery.result", result)
    return result
