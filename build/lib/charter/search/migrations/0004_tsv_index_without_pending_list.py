"""PostgreSQL's GIN index of the documents' words without its pending list (`fastupdate = off`), rebuilt.

With `fastupdate` on (the default), new entries wait in an unsorted list that every search reads whole
until a vacuum merges it: up to 4 MB (`gin_pending_list_limit`) at each query, and the planner, seeing
the index that large, scans the whole table instead. The benchmark's documents, written after the index
was made with autovacuum off, left the whole index in that list: 4.6 MB instead of 0.6 MB rebuilt, and
the keyword query took 10-12 ms instead of about 3 at size M. Documents are written one at a time by the
services, so inserting straight into the index costs them little."""

import importlib

from django.db import migrations

VendorRunSQL = importlib.import_module("charter.search.migrations.0001_initial").VendorRunSQL

NO_PENDING_LIST = (
    "ALTER INDEX search_doc_tsv SET (fastupdate = off); REINDEX INDEX search_doc_tsv; "
    "ANALYZE search_searchdocument",
    "ALTER INDEX search_doc_tsv RESET (fastupdate)",
)


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0003_vectors_table'),
    ]

    operations = [
        VendorRunSQL("postgresql", *NO_PENDING_LIST),
    ]
