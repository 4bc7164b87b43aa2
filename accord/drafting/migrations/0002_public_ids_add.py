# Random public ids for the records whose ids leave the server (decisions 0046, 0051).
# Step 1 of 3 (Django's recipe for a unique field on existing rows): add the column,
# nullable and not yet unique; 0003 fills it row by row; 0004 makes it unique and required.

import uuid

from django.db import migrations, models

MODELS = ("document", "proposal", "revision", "referral")


class Migration(migrations.Migration):
    dependencies = [
        ("drafting", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name=name,
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, null=True),
        )
        for name in MODELS
    ]
