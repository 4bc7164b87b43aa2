"""The one error type that crosses layers.

Services raise ``AccordError`` subclasses with a stable machine-readable ``code`` and
a full sentence for people. The API turns them into 4xx JSON bodies and pages into
messages; neither ever shows a traceback for bad input.
"""


class AccordError(Exception):
    """A refusal with a stable ``code`` and a human ``message``."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class PermissionDenied(AccordError):
    code = "permission_denied"
    status = 403


class NotFound(AccordError):
    """Raised for missing *and* for invisible objects, so existence never leaks."""

    code = "not_found"
    status = 404


class ValidationFailed(AccordError):
    code = "invalid"
    status = 422


class Conflict(AccordError):
    code = "conflict"
    status = 409
