"""A channel's settings as the services use them: validated, or a clear refusal."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accord.channels.settings import ChannelSettings, ChannelSettingsInvalid, channel_settings_parse
from accord.errors import Conflict
from accord.process.models import Mechanism


class ChannelConfigInvalid(Conflict):
    """The charter's settings for a channel are malformed (an operator must fix them)."""


# The problem is the settings parser's sentence: it names the mechanism and the key.
CHANNEL_SETTINGS_INVALID = ChannelConfigInvalid.case("channel.settings_invalid", _("{problem}"))


def channel_settings(mechanism: Mechanism) -> ChannelSettings:
    """The validated settings of ``mechanism``; ``ChannelConfigInvalid`` names the key."""
    try:
        return channel_settings_parse(mechanism.code, mechanism.settings)
    except ChannelSettingsInvalid as error:
        raise CHANNEL_SETTINGS_INVALID(problem=str(error)) from None
