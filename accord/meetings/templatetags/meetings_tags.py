"""Template filters of the meetings pages."""

import uuid

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()

# Where an agenda item's subject is shown, by kind: (URL name, argument converter).
SUBJECT_PAGES = {
    "document": ("drafting:document", uuid.UUID),  # a document's public id (decision 0051)
    "provision": ("drafting:provision", str),
    "divergence": ("divergences:detail", str),  # divergence:<public id> (decision 0062)
}


@register.filter
def subject_url(subject: str) -> str:
    """The page of an agenda item's subject, or "" when there is none (yet).

    A link reveals nothing: the page it leads to applies the access policy itself.
    """
    kind, _, ident = (subject or "").partition(":")
    page = SUBJECT_PAGES.get(kind)
    if page is None or not ident:
        return ""
    name, convert = page
    try:
        return reverse(name, args=[convert(ident)])
    except (NoReverseMatch, ValueError):
        return ""
