"""The one error type that crosses layers, and the cases it comes in.

Every way a request can be refused is an ``ErrorCase``: a stable dotted ``code``
(``message.client_id_reused``), the HTTP status it answers with, and a full sentence
marked for translation, with ``{named}`` placeholders filled in after translation (never
built by concatenation). Services declare their cases as module constants, which tests
reuse, and raise them::

    NOT_PEN_HOLDER = PermissionDenied.case(
        "document.not_pen_holder",
        _("Only the pen-holder of this document ({holders}) can change its text."),
    )
    raise NOT_PEN_HOLDER(holders="PK, QA")

The API turns an ``AccordError`` into ``{"code": ..., "detail": ...}`` with its status;
pages render it through ``accord.web.errors`` (one handler, no per-view try/except);
neither ever shows a traceback for bad input. Codes are registered once: two cases with
one code fail at import, so a client can rely on a code meaning one thing.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.functional import Promise

Sentence = str | Promise


class ErrorCase:
    """One way of refusing: which ``AccordError`` class, its code and its sentence."""

    registry: ClassVar[dict[str, ErrorCase]] = {}

    def __init__(self, kind: type[AccordError], code: str, sentence: Sentence) -> None:
        if code in ErrorCase.registry:
            raise RuntimeError(f"error code {code!r} is declared twice")
        if "." not in code or code != code.lower() or " " in code:
            raise RuntimeError(f"error code {code!r} is not a dotted lower-case code")
        self.kind = kind
        self.code = code
        self.sentence = sentence
        ErrorCase.registry[code] = self

    @property
    def status(self) -> int:
        return self.kind.status

    def __call__(self, **params: Any) -> AccordError:
        """The error to raise, with ``params`` for the sentence's placeholders."""
        return self.kind(self, **params)

    def text(self, **params: Any) -> str:
        """The sentence in the active language with ``params`` filled in."""
        return str(self.sentence).format(**params)

    def __repr__(self) -> str:
        return f"<ErrorCase {self.code}>"


class AccordError(Exception):
    """A refusal: ``error_case`` says which (code, status, sentence); ``params`` fill it in."""

    status: ClassVar[int] = 400

    def __init__(self, case: ErrorCase, /, **params: Any) -> None:
        if not isinstance(case, ErrorCase):
            raise TypeError(f"{type(self).__name__} takes an ErrorCase, not {case!r}")
        self.error_case = case
        self.params = params
        super().__init__(case.code)

    @classmethod
    def case(cls, code: str, sentence: Sentence) -> ErrorCase:
        """Declare a case of this class (at module level, once)."""
        return ErrorCase(cls, code, sentence)

    @property
    def code(self) -> str:
        return self.error_case.code

    @property
    def message(self) -> str:
        """The sentence, translated into the language active when it is read."""
        return self.error_case.text(**self.params)

    def __str__(self) -> str:
        return self.message


class Unauthenticated(AccordError):
    """No valid sign-in: no session, no token, or one no longer valid."""

    status = 401


class PermissionDenied(AccordError):
    status = 403


class NotFound(AccordError):
    """Raised for missing *and* for invisible objects, so existence never leaks."""

    status = 404


class ValidationFailed(AccordError):
    status = 422


class Conflict(AccordError):
    status = 409
