"""The demo texts: seeded once, realistic, and the same after a second run."""

from accord.drafting.demo import demo_content_ensure
from accord.drafting.models import Document, Provision, Revision
from accord.events.models import Event


def test_the_demo_seeds_two_texts_with_brackets_and_revisions(texts):
    annex = texts["annex"]
    assert annex.body.code == "WG-NUC"
    assert texts["framework"].body.code == "HLC"
    labels = list(
        Provision.objects.filter(document=annex).order_by("eid").values_list("label", flat=True)
    )
    assert "Article 1.2(a)" in labels
    assert Revision.objects.filter(document=annex).count() == 2
    assert sum(p.brackets for p in Provision.objects.filter(document=annex)) > 5


def test_running_the_demo_again_adds_nothing(texts, islamabad):
    before = (Document.objects.count(), Provision.objects.count(), Event.objects.count())
    demo_content_ensure(process=islamabad)
    assert (Document.objects.count(), Provision.objects.count(), Event.objects.count()) == before
