"""The error a caller gets when the orchestrator rejects a request."""

from __future__ import annotations

from dataclasses import dataclass

INVALID_REQUEST = "INVALID_REQUEST"
"""Code of a request that fails validation against its JSON Schema. Such a request never reaches an account."""


@dataclass(frozen=True)
class FieldProblem:
    """One rejected field, named by its JSON path (for example ``sender.rpps``), with a French message."""

    field: str
    message: str


class MesRejectionError(Exception):
    """A rejected request: invalid (``INVALID_REQUEST``) or rejected because of the account's status.

    ``code`` is one of schemas/failure-codes.schema.json (``PATIENT_OPPOSED``, ``DMP_CLOSED``, ...) and stable,
    so that callers branch on it. ``message`` is in French, for the professional.
    """

    def __init__(self, code: str, message: str, fields: list[FieldProblem] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or []

    def to_json(self) -> dict[str, object]:
        """Returns the rejection with the field names of the batch output (``errorCode``, ``message``)."""
        rejection: dict[str, object] = {"errorCode": self.code, "message": self.message}
        if self.fields:
            rejection["fields"] = [{"field": problem.field, "message": problem.message} for problem in self.fields]
        return rejection
