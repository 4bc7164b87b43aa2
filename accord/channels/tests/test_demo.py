"""Demo content: rosters, messages and a round of link tests, created once."""

from accord.channels.demo import demo_content_ensure
from accord.channels.models import DutyWatch, Message
from accord.events.models import Event


def test_demo_content_is_idempotent(cast, islamabad):
    demo_content_ensure(process=islamabad)
    counts = (Message.objects.count(), DutyWatch.objects.count(), Event.objects.count())
    demo_content_ensure(process=islamabad)
    assert (Message.objects.count(), DutyWatch.objects.count(), Event.objects.count()) == counts
    assert DutyWatch.objects.filter(ended_at=None).count() == 2 + 2 + 4
    assert Message.objects.filter(kind="link_test", acknowledged_at__isnull=False).exists()
    assert Message.objects.filter(kind="message", acknowledged_at__isnull=False).count() == 3
