"""Every write to the single negotiating text, one module per aggregate.

Each public service is ``<entity>_<verb>(*, actor, <entity>_id, ...)``: it takes the
public id of what it acts on (a document's, proposal's or referral's UUID, a provision's
``wid``), fetches it through ``drafting.access``, refuses where the matching ``may_``
predicate says no, validates, writes in one transaction and appends its events there.
"""

from accord.drafting.services.common import (
    BRACKETS_INVALID,
    FROZEN,
    GROUP_INVALID,
    KIND_INVALID,
    MAX_TEXT,
    NEEDS_DELEGATION,
    NOT_PEN_HOLDER,
    OPTION_INVALID,
    PARENT_INVALID,
    SPONSORS_INVALID,
    TEXT_TOO_LONG,
    check_text,
)
from accord.drafting.services.documents import (
    ADOPTION_REFUSED,
    AGREED_ONLY_BY_ADOPTION,
    NOT_A_MEMBER,
    PARTIES_ONLY_NON_PAPERS,
    PEN_HOLDERS_INVALID,
    STATUS_INVALID,
    TITLE_REQUIRED,
    document_adopt,
    document_create,
    document_update,
)
from accord.drafting.services.imports import document_import, document_renumber
from accord.drafting.services.languages import language_version_add, provision_translate
from accord.drafting.services.positions import position_state
from accord.drafting.services.proposals import (
    NOT_PENDING,
    NOT_YOUR_OPTION,
    NOT_YOURS,
    ONLY_PARTIES,
    proposal_decide,
    proposal_submit,
    proposal_withdraw,
)
from accord.drafting.services.provisions import (
    bracket_resolve,
    option_add,
    provision_add,
    provision_delete,
    provision_edit,
    provision_move,
    provision_status_set,
)
from accord.drafting.services.referrals import (
    ALREADY_DECIDED,
    NO_BODY_ABOVE,
    ONLY_RECEIVING_BODY,
    referral_create,
    referral_decide,
)
from accord.drafting.services.revisions import UNCHANGED as REVISION_UNCHANGED
from accord.drafting.services.revisions import revision_issue

__all__ = [
    "ADOPTION_REFUSED",
    "AGREED_ONLY_BY_ADOPTION",
    "ALREADY_DECIDED",
    "BRACKETS_INVALID",
    "FROZEN",
    "GROUP_INVALID",
    "KIND_INVALID",
    "MAX_TEXT",
    "NEEDS_DELEGATION",
    "NOT_A_MEMBER",
    "NOT_PENDING",
    "NOT_PEN_HOLDER",
    "NOT_YOURS",
    "NOT_YOUR_OPTION",
    "NO_BODY_ABOVE",
    "ONLY_PARTIES",
    "ONLY_RECEIVING_BODY",
    "OPTION_INVALID",
    "PARENT_INVALID",
    "PARTIES_ONLY_NON_PAPERS",
    "PEN_HOLDERS_INVALID",
    "REVISION_UNCHANGED",
    "SPONSORS_INVALID",
    "STATUS_INVALID",
    "TEXT_TOO_LONG",
    "TITLE_REQUIRED",
    "bracket_resolve",
    "check_text",
    "document_adopt",
    "document_create",
    "document_import",
    "document_renumber",
    "document_update",
    "language_version_add",
    "option_add",
    "position_state",
    "proposal_decide",
    "proposal_submit",
    "proposal_withdraw",
    "provision_add",
    "provision_delete",
    "provision_edit",
    "provision_move",
    "provision_status_set",
    "provision_translate",
    "referral_create",
    "referral_decide",
    "revision_issue",
]
