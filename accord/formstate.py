"""A refused form as the user left it: what they typed, and the sentence beside its field.

A page form whose service refuses the input (a ``ValidationFailed``) is shown again with
every value kept and the refusal next to the field it is about, instead of an emptied
form and a banner far above it (decision 0076). A view builds one ``FormState`` per form
on its page (empty until a refusal) and the template reads ``form.values.<name>`` and
``form.errors.<name>``; a refusal about no one field is ``form.errors.form``.

``fields`` maps an error code to the field it is about; codes it does not name are about
the form as a whole. Pure: no Django import beyond the error type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from accord.errors import AccordError

FORM = "form"  # the key of a refusal about the form as a whole


@dataclass(frozen=True)
class FormState:
    """One form: ``values`` as typed, ``errors`` by field name (at most one after a
    refusal), ``key`` says which of several like forms on a page was refused."""

    values: Mapping[str, Any] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)
    key: str = ""

    @property
    def refused(self) -> bool:
        return bool(self.errors)


def refused(
    values: Mapping[str, Any],
    error: AccordError,
    fields: Mapping[str, str],
    *,
    key: str = "",
) -> FormState:
    """The form state after ``error`` refused ``values`` (a ``QueryDict`` or a dict):
    single values kept as typed, the sentence under the field ``fields`` names for its
    code, else under ``FORM``."""
    getter = getattr(values, "get", None)
    kept = {name: getter(name) if getter else values[name] for name in values}
    return FormState(
        values=kept, errors={fields.get(error.code, FORM): error.message}, key=str(key)
    )
