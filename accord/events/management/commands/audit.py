"""``accord audit verify``: check the event log's hash chain."""

from django.core.management.base import BaseCommand, CommandError

from accord.events.audit import audit_verify


class Command(BaseCommand):
    help = "Verify the event log's hash chain; exit 1 naming the first bad sequence number."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="walk the chain from the first event to the last")

    def handle(self, *args, action: str, **options):
        checked, problem = audit_verify()
        if problem is not None:
            raise CommandError(
                f"Event log tampered with at sequence number {problem.seq}: {problem.reason}. "
                f"{checked} event(s) before it verified.",
                returncode=1,
            )
        self.stdout.write(f"Event log intact: {checked} event(s) verified.")
