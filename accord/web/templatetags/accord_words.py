"""Template filters every page uses to speak in words: times, codes put into words, and
timelines and subjects with the names people know them by.

Registered as a builtin (``settings.TEMPLATES``), so every template has them without a
``{% load %}``; decisions 0082 (names, not codes) and 0083 (one way to show a time).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from accord import bidi as bidi_text
from accord import calendars, fonts
from accord.accounts import access
from accord.accounts.models import User
from accord.events.describe import WORDS, describe, names_wanted
from accord.events.models import Event
from accord.web.naming import Named, names_for, subject_in_words
from accord.web.timezones import reading

register = template.Library()

# Day, month's name, time and the zone's abbreviation: "1 Dec 15:47 PKT". Never a
# numeric day-month, which reads either way round.
TIME_THIS_YEAR = "j M H:i"
TIME_OTHER_YEAR = "j M Y H:i"
DAY_THIS_YEAR = "j M"
DAY_OTHER_YEAR = "j M Y"


@register.filter(expects_localtime=True)
def when(value: dt.datetime | None, precision: str = "") -> str:
    """``value`` (an aware datetime) in the viewer's time zone, which is named; "" for none.

    The viewer's zone is the active one (``accord.web.timezones``); the year is left
    out when it is the current one; ``precision`` "seconds" adds the seconds (a
    channel's messages).
    """
    if not value:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    if not isinstance(value, dt.datetime):
        return day(value)
    local = timezone.localtime(value)
    same_year = local.year == timezone.localtime().year
    shape = TIME_THIS_YEAR if same_year else TIME_OTHER_YEAR
    if precision == "seconds":
        shape = shape.replace("H:i", "H:i:s")
    return _for_people(f"{date_format(local, shape)} {zone_name(local)}", local.date())


def _for_people(text: str, on: dt.date) -> str:
    """A date or time ``text`` as the viewer reads it: with the Solar Hijri day beside
    it if they chose that calendar, in their digits."""
    prefs = reading()
    if prefs.calendar == calendars.SOLAR_HIJRI:
        text = f"{text} · {calendars.solar_hijri_words(on, get_language() or 'en')}"
    return bidi_text.digits_for_people(text, prefs.digits)


def zone_name(local: dt.datetime) -> str:
    """The abbreviation of ``local``'s zone ("PKT", "EST", "UTC"), or for a zone that has
    none its offset as browsers write it ("GMT+3:30" for Tehran's "+0330")."""
    name = local.tzname() or "UTC"
    offset = re.fullmatch(r"([+-])(\d\d)(\d\d)?", name)
    if offset is None:
        return name
    sign, hours, minutes = offset.groups()
    return f"GMT{sign}{int(hours)}" + (f":{minutes}" if minutes and minutes != "00" else "")


@register.filter
def day(value: dt.date | None) -> str:
    """A calendar day with its month's name ("1 Dec", "3 Jan 2027": the year only when
    it is not the current one); "" for none."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    same_year = value.year == timezone.localdate().year
    return _for_people(date_format(value, DAY_THIS_YEAR if same_year else DAY_OTHER_YEAR), value)


@register.filter
def text_direction(value: object, default: str = "ltr") -> str:
    """ "rtl" or "ltr" by the first strong character of ``value`` (``default`` when it has
    none): ``dir="auto"`` worked out on the server, for PDF engines that lack it."""
    return bidi_text.first_strong(str(value or "")) or default


@register.simple_tag
def font_faces() -> SafeString:
    """``@font-face`` rules for a PDF's stylesheet: the fonts of the Persian, Arabic and
    Urdu scripts that fontconfig may not know (``accord.fonts``, decision 0162)."""
    return SafeString(fonts.font_faces_css())  # file URIs of installed fonts: no user text


@register.filter
def font_family(language: str) -> SafeString:
    """A CSS ``font-family`` list for text in ``language``, covering its script."""
    return SafeString(fonts.family_for(str(language or "")))


@register.filter
def digits(value: object) -> str:
    """A number (or text with numbers) for people, in the viewer's digits (decision
    0160). Never for codes, identifiers, URLs or form values: those keep ASCII digits."""
    if value is None or value == "":
        return ""
    return bidi_text.digits_for_people(str(value), reading().digits)


def _bdi(content: str, direction: str = "") -> SafeString:
    if not content:
        return SafeString("")
    if direction in ("ltr", "rtl"):
        return format_html('<bdi dir="{}">{}</bdi>', direction, content)
    return format_html("<bdi>{}</bdi>", content)


@register.filter(is_safe=True)
def bidi(value: object, direction: str = "") -> SafeString:
    """``value`` isolated from the text around it, so a right-to-left page does not
    reorder it or its neighbours (issue 20, decision 0160): ``<bdi>`` takes its
    direction from its first strong character (user content, names, titles);
    ``bidi:"ltr"`` for labels, codes, numbers and file names that read left to right
    whatever surrounds them ("Article 4.2", "D-1", "1.", ".docx")."""
    if value is None:
        return SafeString("")
    return _bdi(conditional_escape(value), direction)


@register.tag(name="bidi")
def bidi_block(parser: template.base.Parser, token: template.base.Token) -> template.Node:
    """``{% bidi %}…{% endbidi %}`` (or ``{% bidi "ltr" %}``): a composed phrase, such as
    "(2 brackets, 0 divergences)", isolated as one unit."""
    bits = token.split_contents()
    direction = bits[1].strip("\"'") if len(bits) > 1 else ""
    nodelist = parser.parse(("endbidi",))
    parser.delete_first_token()
    return _BidiNode(nodelist, direction)


class _BidiNode(template.Node):
    def __init__(self, nodelist: template.NodeList, direction: str) -> None:
        self.nodelist = nodelist
        self.direction = direction

    def render(self, context: template.Context) -> str:
        # The nodelist's output is the template's own, escaped as it rendered.
        return _bdi(SafeString(self.nodelist.render(context).strip()), self.direction)


@register.filter
def in_words(code: str | None, field: str) -> str:
    """One of the process's fixed codes in words, in the active language: the words
    ``accord.events.describe`` uses for ``field`` ("escalated_to", "role", "kind")."""
    if not code:
        return ""
    words = WORDS.get(field, {}).get(str(code))
    return gettext(words) if words is not None else str(code).replace("_", " ")


@dataclass(frozen=True)
class Line:
    """One timeline entry in words: the event, its sentence and who may read it."""

    event: Event
    summary: str
    scope: Named | None


@register.filter
def in_sentences(events: Iterable[Event], viewer: User | None) -> list[Line]:
    """``events`` (a timeline) as sentences with names, not codes, for ``viewer``: one
    batch of look-ups for the whole timeline."""
    events = list(events)
    wanted = set().union(*(names_wanted(e.payload) for e in events)) if events else set()
    days = {w: _iso_day(w) for w in wanted}
    words = {w for w in wanted if days[w] is None and ":" not in w}
    scopes = {e.scope for e in events if _marked(e.scope)}
    names = names_for(
        viewer,
        subjects={w for w in wanted if ":" in w},
        scopes=scopes,
        usernames=words,
        codes=words,
        every_place_and_person=True,
    )
    labels = {key: named.label for key, named in names.items()}
    labels.update({w: day(d) for w, d in days.items() if d is not None})
    return [
        Line(
            event=e,
            summary=describe(e.kind, e.payload, gettext, labels),
            scope=names.get(e.scope) or Named(gettext("Restricted")) if _marked(e.scope) else None,
        )
        for e in events
    ]


def _marked(scope: str) -> bool:
    """Whether a timeline marks an entry with who may read it: internal material (a
    party's, a caucus's, the facilitators'). Shared entries, and a body's or a
    mechanism's (the room the timeline is in), carry no mark."""
    return scope.partition(":")[0] in ("party", "caucus", access.FACILITATORS)


def _iso_day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _subject_cache(request: object) -> dict[str, Named]:
    """Names of subjects already looked up in this request (a list names each once)."""
    cache = getattr(request, "_accord_subject_names", None)
    if cache is None:
        cache = {}
        if request is not None:
            request._accord_subject_names = cache  # type: ignore[attr-defined]
    return cache


@register.simple_tag(takes_context=True)
def name_subjects(context: template.Context, rows: Iterable[object], attr: str = "subject") -> str:
    """Look up, in one go, the names of the ``attr`` subjects of ``rows``, so that each
    ``subject_link`` after it in a list costs no query (the same few queries for 5 rows
    or 50, issue 18). Renders nothing."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    cache = _subject_cache(request)
    wanted = {getattr(row, attr, "") for row in rows} - set(cache) - {""}
    if wanted:
        found = names_for(viewer, subjects=wanted)
        for subject in wanted:
            cache[subject] = subject_in_words(subject, found)
    return ""


@register.simple_tag(takes_context=True)
def subject_link(context: template.Context, subject: str) -> str:
    """``subject`` ("document:<id>") as a link named for what it is, or its kind in words
    where the viewer may not see it."""
    if not subject:
        return ""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    cache = _subject_cache(request)
    named = cache.get(subject)
    if named is None:
        named = cache[subject] = subject_in_words(subject, names_for(viewer, subjects=[subject]))
    if named.url:
        return format_html('<a class="subject" href="{}">{}</a>', named.url, named.label)
    return format_html('<span class="subject">{}</span>', named.label)
