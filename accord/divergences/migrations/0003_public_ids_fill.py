# Step 2 of 3: give every existing row its own random public id, and every divergence
# its number within its process in the order they were opened (decision 0062).

import uuid

from django.db import migrations

MODELS = ("Divergence", "Position", "BridgingProposal", "Referral")


def public_ids_fill(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("divergences", name)
        rows = list(model.objects.only("pk"))
        for row in rows:
            row.public_id = uuid.uuid4()
        model.objects.bulk_update(rows, ["public_id"], batch_size=500)
    divergence = apps.get_model("divergences", "Divergence")
    rows = list(
        divergence.objects.only("pk", "process_id").order_by("process_id", "created_at", "pk")
    )
    counts: dict[int, int] = {}
    for row in rows:
        counts[row.process_id] = row.number = counts.get(row.process_id, 0) + 1
    divergence.objects.bulk_update(rows, ["number"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("divergences", "0002_public_ids_add"),
    ]

    operations = [
        migrations.RunPython(public_ids_fill, migrations.RunPython.noop, elidable=True),
    ]
