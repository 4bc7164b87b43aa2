# Step 2 of 3: give every existing row its own random public id (decisions 0046, 0051).

import uuid

from django.db import migrations

MODELS = ("Document", "Proposal", "Revision", "Referral")


def public_ids_fill(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("drafting", name)
        rows = list(model.objects.only("pk"))
        for row in rows:
            row.public_id = uuid.uuid4()
        model.objects.bulk_update(rows, ["public_id"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("drafting", "0002_public_ids_add"),
    ]

    operations = [
        migrations.RunPython(public_ids_fill, migrations.RunPython.noop, elidable=True),
    ]
