# Step 3 of 3: every row has its own public id; make the column required and unique.

import uuid

from django.db import migrations, models

MODELS = ("document", "proposal", "revision", "referral")


class Migration(migrations.Migration):
    dependencies = [
        ("drafting", "0003_public_ids_fill"),
    ]

    operations = [
        migrations.AlterField(
            model_name=name,
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        )
        for name in MODELS
    ]
