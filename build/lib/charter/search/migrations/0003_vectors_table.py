"""Meaning vectors move to their own table, so that the keyword search's scan of the documents does not
read them; existing vectors are moved, and PostgreSQL's table is rewritten (a dropped column keeps its
bytes in every row until then)."""

import importlib

import django.db.models.deletion
import django.db.models.manager
from django.db import migrations, models

VendorRunSQL = importlib.import_module("charter.search.migrations.0001_initial").VendorRunSQL

MOVE_VECTORS = (
    "INSERT INTO search_searchvector (document_id, organization_id, vector, model, dimension) "
    "SELECT id, organization_id, vector, model, dimension FROM search_searchdocument "
    "WHERE vector IS NOT NULL",
    "UPDATE search_searchdocument SET "
    "vector = (SELECT v.vector FROM search_searchvector v WHERE v.document_id = search_searchdocument.id), "
    "model = coalesce((SELECT v.model FROM search_searchvector v "
    "WHERE v.document_id = search_searchdocument.id), ''), "
    "dimension = coalesce((SELECT v.dimension FROM search_searchvector v "
    "WHERE v.document_id = search_searchdocument.id), 0)",
)
# CLUSTER (unlike VACUUM FULL) runs inside the migration's transaction; it rewrites every row without the
# dropped columns' values.
REWRITE_POSTGRES = (
    "CLUSTER search_searchdocument USING search_searchdocument_pkey; "
    "ANALYZE search_searchdocument; ANALYZE search_searchvector",
    migrations.RunSQL.noop,
)


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0004_rate_counter_one_row_per_key'),
        ('search', '0002_index_state'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchVector',
            fields=[
                ('document', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='embedding', serialize=False, to='search.searchdocument')),
                ('vector', models.BinaryField()),
                ('model', models.CharField(max_length=120)),
                ('dimension', models.PositiveSmallIntegerField()),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizations.organization')),
            ],
            options={
                'indexes': [models.Index(fields=['organization', 'model'], name='search_vec_org_model')],
            },
            managers=[
                ('objects', django.db.models.manager.Manager()),
                ('all_objects', django.db.models.manager.Manager()),
            ],
        ),
        migrations.RunSQL(*MOVE_VECTORS),
        migrations.RemoveIndex(
            model_name='searchdocument',
            name='search_doc_org_model',
        ),
        migrations.RemoveField(
            model_name='searchdocument',
            name='dimension',
        ),
        migrations.RemoveField(
            model_name='searchdocument',
            name='model',
        ),
        migrations.RemoveField(
            model_name='searchdocument',
            name='vector',
        ),
        VendorRunSQL("postgresql", *REWRITE_POSTGRES),
    ]
