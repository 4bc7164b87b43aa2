"""The provision list of the document page, rendered in Python.

A treaty has thousands of provisions; the template engine spends tens of microseconds
per tag, which at 2,000 provisions is seconds. This builds the same markup with plain
string joins (every piece of user text through ``html.escape``), so the full page of a
treaty-sized text renders in a fraction of that (see ``bench/drafting_bench.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accord.drafting import brackets
from accord.drafting.models import Position, Provision


@dataclass(frozen=True)
class Context:
    pen: bool
    is_party: bool
    csrf_token: str
    colours: Mapping[str, str]
    parties: Sequence[Any]  # Delegation rows, in order


def provisions_html(
    provisions: Sequence[Provision],
    *,
    positions: Mapping[int, Mapping[str, Position]],
    current_sha: Mapping[int, str],
    context: Context,
) -> str:
    """The ``<li>`` of every provision, in document order."""
    urls = {
        name: reverse(f"drafting:{name}", args=["WID"])
        for name in ("provision", "provision_edit", "bracket_resolve", "position")
    }
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(context.csrf_token)}">'
    # Each label translated and escaped once per page, not once per provision: at 2,000
    # provisions a lazy label's translation on every use is a sixth of the page's time.
    statuses = {value: escape(str(label)) for value, label in Provision.Status.choices}
    stances = {value: escape(str(label)) for value, label in Position.Stance.choices}
    stance_options = "".join(
        f'<option value="{v}">{label}</option>' for v, label in stances.items()
    )
    words = {
        "edit": escape(_("Edit")),
        "group": escape(_("group")),
        "accept": escape(_("Accept wording")),
        "delete": escape(_("Delete")),
        "keep": escape(_("Keep option {n}")),
        "state": escape(_("State position")),
        "position": escape(pgettext("a party's stance on a provision", "Position")),
        "earlier": escape(_("on earlier wording")),
        "footnotes": escape(_("Footnotes")),
        "back": escape(_("Back to the text")),
    }
    footnote = 1  # footnotes are numbered through the page
    depth: dict[int, int] = {}
    out: list[str] = []
    for p in provisions:
        depth[p.pk] = depth[p.parent_id] + 1 if p.parent_id in depth else 0
        wid = p.wid
        head = [
            f'<a class="num" dir="ltr" href="{urls["provision"].replace("WID", wid)}" '
            f'title="{escape(p.label)}">{escape(p.num)}</a>'
        ]
        if p.heading:
            head.append(f'<strong class="heading" dir="auto">{escape(p.heading)}</strong>')
        head.append(f'<span class="pstatus">{statuses.get(p.status) or escape(p.status)}</span>')
        stated = positions.get(p.pk, {})
        for party in context.parties:
            position = stated.get(party.code)
            if position is None:
                continue
            stale = position.text_sha256 != current_sha.get(p.pk)
            label = stances.get(position.stance) or escape(position.stance)
            title = label + (f" ({words['earlier']})" if stale else "")
            head.append(
                f'<span class="position stance-{position.stance}{" stale" if stale else ""}" '
                f'title="{title}" style="--sponsor:{escape(party.colour)}">'
                f"{escape(party.code)}: {label}</span>"
            )
        if context.pen:
            edit = urls["provision_edit"].replace("WID", wid)
            head.append(
                f'<button class="link" hx-get="{edit}" hx-target="#body-{wid}" '
                f'hx-swap="innerHTML">{words["edit"]}</button>'
            )
        body: list[str] = []
        segments: tuple[brackets.Segment, ...] = ()
        if p.text:
            try:
                segments = brackets.parse(p.text)
                wording = brackets.render_segments(segments, context.colours)
            except brackets.BracketError:
                wording = escape(p.text)
            wording, notes = brackets.footnotes_apart(wording, key=wid, start=footnote)
            footnote += len(notes)
            body.append(f'<p class="wording" dir="auto">{wording}</p>')
            body.append(
                brackets.footnotes_list_html(
                    notes, key=wid, label=words["footnotes"], back=words["back"]
                )
            )
        if context.pen and p.brackets and segments:
            resolve = urls["bracket_resolve"].replace("WID", wid)
            forms = []
            for index, group in enumerate(brackets.groups(segments)):
                buttons = []
                for n in range(len(group.options)):
                    text = words["keep"].format(n=n + 1) if group.is_choice else words["accept"]
                    buttons.append(
                        f'<button name="keep" value="{n}" data-resolve="{index}-{n}">'
                        f"{text}</button>"
                    )
                forms.append(
                    f'<form class="inline" method="post" action="{resolve}" hx-post="{resolve}" '
                    f'hx-target="#document-text" hx-swap="outerHTML">{csrf}'
                    f'<input type="hidden" name="group" value="{index}">'
                    f'<span class="tag">{words["group"]} {index + 1}</span>{"".join(buttons)}'
                    f'<button name="keep" value="delete">{words["delete"]}</button></form>'
                )
            body.append(f'<div class="resolve">{"".join(forms)}</div>')
        if context.is_party and p.text:  # a heading-only container takes no position
            action = urls["position"].replace("WID", wid)
            body.append(
                f'<form class="inline position-form" method="post" action="{action}" '
                f'hx-post="{action}" hx-target="#document-text" hx-swap="outerHTML">{csrf}'
                f'<select name="stance" aria-label="{words["position"]}">{stance_options}'
                f'</select> <button type="submit">{words["state"]}</button></form>'
            )
        out.append(
            f'<li class="provision kind-{p.kind} depth-{depth[p.pk]} pstatus-{p.status}" '
            f'id="{wid}" data-wid="{wid}" data-eid="{escape(p.eid)}" '
            f'data-brackets="{p.brackets}"><div class="provision-head">{"".join(head)}</div>'
            f'<div class="provision-body" id="body-{wid}">{"".join(body)}</div></li>'
        )
    return "\n".join(out)
