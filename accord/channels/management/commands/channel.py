"""``accord channel verify FILE``: check an exported transcript offline.

Recomputes every message's hash, follows the chain and checks every signature against
the public key of its sending side (from the file, or pinned with ``--key SIDE=BASE64``).
Exits 0 when intact; 1 naming the first message that fails. Needs no database.

``accord channel check`` validates the channel settings of every loaded mechanism.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, ngettext

from accord.channels.integrity import transcript_verify


class Command(BaseCommand):
    help = "Channel tools: verify an exported transcript; check channel settings."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verify a transcript JSON file offline")
        verify.add_argument("file")
        verify.add_argument(
            "--key",
            action="append",
            default=[],
            metavar="SIDE=BASE64",
            help="pin a side's public key instead of trusting the one in the file",
        )
        sub.add_parser("check", help="validate every mechanism's channel settings")

    def handle(self, *args, action: str, **options):
        if action == "verify":
            return self._verify(options["file"], options["key"])
        return self._check()

    def _verify(self, path: str, pins: list[str]) -> None:
        try:
            with open(path, encoding="utf-8") as handle:
                transcript = json.load(handle)
        except (OSError, ValueError) as error:
            raise CommandError(
                gettext("{path}: cannot read a JSON transcript ({error}).").format(
                    path=path, error=error
                )
            ) from error
        pinned = {}
        for pin in pins:
            side, sep, key = pin.partition("=")
            if not sep:
                raise CommandError(gettext("--key {pin!r}: expected SIDE=BASE64.").format(pin=pin))
            pinned[side] = key
        verdict = transcript_verify(transcript, pinned_keys=pinned)
        if not verdict.ok:
            # The reason comes from the pure integrity module, in English.
            message = gettext("{path}: FAILED at message #{position} (seq {seq}): {reason}")
            raise CommandError(
                message.format(
                    path=path, position=verdict.position, seq=verdict.seq, reason=verdict.reason
                ),
                returncode=1,
            )
        message = ngettext(
            "{path}: OK: {count} message, signature and chain intact.",
            "{path}: OK: {count} messages, signatures and chain intact.",
            verdict.checked,
        )
        self.stdout.write(message.format(path=path, count=verdict.checked))

    def _check(self) -> None:
        from accord.channels.services import ChannelConfigInvalid, channel_settings
        from accord.process.models import Mechanism

        problems = []
        for mechanism in Mechanism.objects.all():
            try:
                channel_settings(mechanism)
            except ChannelConfigInvalid as error:
                problems.append(error.message)
        if problems:
            raise CommandError("\n".join(problems), returncode=1)
        self.stdout.write(gettext("Channel settings OK."))
