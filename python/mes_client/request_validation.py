"""Checks a request against its JSON Schema before any workflow starts, with French messages per field."""

from __future__ import annotations

from jsonschema import ValidationError

from .contract import contract_validator
from .rejection_error import INVALID_REQUEST, FieldProblem, MesRejectionError

_JSON_TYPES_IN_FRENCH = {
    "string": "du texte",
    "object": "un objet",
    "array": "une liste",
    "boolean": "un booléen",
    "number": "un nombre",
    "integer": "un entier",
    "null": "null",
}


def _joined(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _describe(error: ValidationError) -> list[FieldProblem]:
    """Turns one schema error into field problems worded like the TypeScript client's (contracts/fields.ts)."""
    path = ".".join(map(str, error.absolute_path))
    keyword = error.validator
    expected = error.validator_value

    if keyword == "required":
        # jsonschema raises one error per missing field but names it only in its English message, so every
        # missing field is listed here and the caller keeps one problem per field.
        missing = [name for name in expected if name not in error.instance]
        return [FieldProblem(_joined(path, name), "champ obligatoire manquant") for name in missing]
    if keyword == "additionalProperties":
        allowed = error.schema.get("properties", {})
        extra = ", ".join(name for name in error.instance if name not in allowed)
        return [FieldProblem(_joined(path, extra), f"champ(s) non prévu(s) : {extra} ; retirez-les")]

    return [FieldProblem(path or "(objet)", _describe_value_problem(keyword, expected))]


def _describe_value_problem(keyword: str, expected: object) -> str:
    """Words the problem of a field whose value is present but rejected by the schema keyword ``keyword``."""
    if keyword == "type":
        # A schema may allow several types, for example ["string", "null"].
        types = expected if isinstance(expected, list) else [expected]
        return f"type invalide : {' ou '.join(_JSON_TYPES_IN_FRENCH.get(name, name) for name in types)} attendu"
    if keyword == "const":
        return f"valeur attendue : « {expected} »"
    if keyword == "enum":
        return f"valeur non prévue ; valeurs possibles : {', '.join(map(str, expected))}"
    if keyword == "minLength":
        return f"texte vide ou trop court (minimum {expected} caractère(s))"
    if keyword == "maxLength":
        return f"texte trop long (maximum {expected} caractères)"
    if keyword == "pattern":
        return f"format invalide : la valeur doit respecter le motif {expected}"
    if keyword == "format" and expected == "email":
        return "adresse e-mail invalide"
    return f"valeur refusée par la règle « {keyword} » du schéma JSON"


def validate_request(contract: str, request: object) -> None:
    """Raises ``MesRejectionError`` with ``INVALID_REQUEST`` when ``request`` breaks ``schemas/<contract>``.

    The message names every rejected field, as the TypeScript client's does, and never repeats a value, since
    the value can be an INS.
    """
    errors = list(contract_validator(contract).iter_errors(request))
    if not errors:
        return

    # One problem per field, the first the schema finds: an address that fails both `format` and `pattern`
    # needs one sentence, not two.
    problems_by_field: dict[str, FieldProblem] = {}
    for error in errors:
        for problem in _describe(error):
            problems_by_field.setdefault(problem.field, problem)
    problems = [problems_by_field[field] for field in sorted(problems_by_field)]
    parts = " ; ".join(f"champ « {problem.field} » : {problem.message}" for problem in problems)
    raise MesRejectionError(INVALID_REQUEST, f"Requête invalide : {parts}.", problems)
