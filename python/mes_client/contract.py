"""The published JSON contracts in schemas/, the only thing this client knows of the orchestrator's types."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import FormatChecker
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"
"""The repository's schemas/ folder, written by `mes schemas export` from the zod contracts."""


class ContractViolationError(Exception):
    """Raised when a workflow returns a value that its published JSON Schema does not allow."""


@cache
def contract_schema(name: str) -> dict[str, Any]:
    """Returns the schema ``schemas/<name>.schema.json``, for example ``send-message.input``."""
    return json.loads((SCHEMAS_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def contract_validator(name: str) -> Validator:
    """Returns a validator of the schema's own draft (2020-12 here), with the ``format`` keyword checked."""
    schema = contract_schema(name)
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=FormatChecker())


def check_returned_value(name: str, value: object) -> None:
    """Raises ``ContractViolationError`` naming each field where ``value`` does not match the contract ``name``."""
    errors = sorted(contract_validator(name).iter_errors(value), key=lambda error: list(map(str, error.path)))
    if errors:
        problems = "; ".join(f"{'.'.join(map(str, error.path)) or '(root)'}: {error.message}" for error in errors)
        raise ContractViolationError(
            f"The workflow returned a value that does not match {name}.schema.json: {problems}"
        )
