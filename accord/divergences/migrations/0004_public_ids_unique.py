# Step 3 of 3: every row has its public id and every divergence its number; make them
# required and unique.

import uuid

from django.db import migrations, models

MODELS = ("divergence", "position", "bridgingproposal", "referral")


class Migration(migrations.Migration):
    dependencies = [
        ("divergences", "0003_public_ids_fill"),
    ]

    operations = [
        *(
            migrations.AlterField(
                model_name=name,
                name="public_id",
                field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
            )
            for name in MODELS
        ),
        migrations.AlterField(
            model_name="divergence",
            name="number",
            field=models.PositiveIntegerField(),
        ),
        migrations.AddConstraint(
            model_name="divergence",
            constraint=models.UniqueConstraint(
                fields=("process", "number"), name="divergence_number"
            ),
        ),
    ]
