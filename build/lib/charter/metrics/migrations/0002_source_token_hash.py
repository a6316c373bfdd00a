"""Data source push tokens are stored as SHA-256 hashes; existing tokens keep working."""

import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    DataSource = apps.get_model("metrics", "DataSource")
    for source in DataSource.objects.all().only("pk", "token_hash"):
        source.token_hash = hashlib.sha256(source.token_hash.encode()).hexdigest()
        source.save(update_fields=["token_hash"])


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]

    operations = [
        migrations.RenameField(model_name="datasource", old_name="token", new_name="token_hash"),
        # Irreversible in substance: a hash cannot be turned back into its token.
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
    ]
