# Random public ids for the rows whose ids leave the server (decision 0046's pattern),
# and the per-process D-number (decision 0062). Step 1 of 3: add the columns, nullable
# and not yet unique; 0003 fills them row by row; 0004 makes them required and unique.

import uuid

from django.db import migrations, models

MODELS = ("divergence", "position", "bridgingproposal", "referral")


class Migration(migrations.Migration):
    dependencies = [
        ("divergences", "0001_initial"),
    ]

    operations = [
        *(
            migrations.AddField(
                model_name=name,
                name="public_id",
                field=models.UUIDField(default=uuid.uuid4, editable=False, null=True),
            )
            for name in MODELS
        ),
        migrations.AddField(
            model_name="divergence",
            name="number",
            field=models.PositiveIntegerField(null=True),
        ),
    ]
