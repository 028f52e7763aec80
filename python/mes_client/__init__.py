"""Python client of the Mon espace santé delivery orchestrator, built on its JSON contracts in schemas/."""

from .codec import AesGcmPayloadCodec, PayloadAuthenticationError, UnknownPayloadKeyError
from .connection import connect
from .contract import ContractViolationError
from .message_delivery import (
    DECISION_UPDATE,
    SEND_MESSAGE_WORKFLOW,
    message_result,
    message_workflow_id,
    start_message_delivery,
)
from .payload_keys import PayloadKeys, PayloadKeysError, load_payload_keys, parse_payload_keys
from .rejection_error import INVALID_REQUEST, FieldProblem, MesRejectionError
from .request_validation import validate_request
from .settings import ClientSettings, load_settings

__all__ = [
    "DECISION_UPDATE",
    "INVALID_REQUEST",
    "SEND_MESSAGE_WORKFLOW",
    "AesGcmPayloadCodec",
    "ClientSettings",
    "ContractViolationError",
    "FieldProblem",
    "MesRejectionError",
    "PayloadAuthenticationError",
    "PayloadKeys",
    "PayloadKeysError",
    "UnknownPayloadKeyError",
    "connect",
    "load_payload_keys",
    "load_settings",
    "message_result",
    "message_workflow_id",
    "parse_payload_keys",
    "start_message_delivery",
    "validate_request",
]
