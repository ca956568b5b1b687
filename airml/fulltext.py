"""Stored full-text documents (PostgreSQL): how one is built, and how a migration
indexes and fills them.

Searched models keep their weighted `tsvector` in a `search_document` column, so a
search reads the GIN index instead of parsing every row. Which fields, with which
weights, is up to the caller (`search.registry.KINDS`). On other databases the column
stays NULL and nothing here runs.
"""

from django.contrib.postgres.search import SearchVector
from django.db.migrations.operations.base import Operation

CONFIG = "english"


def document_vector(weighted):
    """The weighted `SearchVector` of `weighted` (field name -> weight "A".."D")."""
    vector = None
    for name, weight in weighted.items():
        part = SearchVector(name, weight=weight, config=CONFIG)
        vector = part if vector is None else vector + part
    return vector


class IndexSearchDocuments(Operation):
    """A GIN index on `<model>.search_document`, and the documents of existing rows.

    PostgreSQL only: a `GinIndex` in `Meta.indexes` would be created (and fail) on
    SQLite too. `weighted` is frozen in the migration, like any data migration.
    The documents are kept in the row (storage MAIN): ranking reads the document of
    every match, and out of line (TOAST, where PostgreSQL moved them beside long
    abstracts) that was three times slower; the long text columns move out instead.
    """

    reversible = True

    def __init__(self, model_name, weighted):
        self.model_name = model_name
        self.weighted = weighted

    def deconstruct(self):
        kwargs = {"model_name": self.model_name, "weighted": self.weighted}
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label, state):
        pass

    def _index(self, model, schema_editor):
        quote = schema_editor.quote_name
        return quote(f"{model._meta.db_table}_search"), quote(model._meta.db_table)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        index, table = self._index(model, schema_editor)
        column = f"ALTER TABLE {table} ALTER COLUMN search_document"
        schema_editor.execute(f"{column} SET STORAGE MAIN")
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (search_document)")
        model._base_manager.using(schema_editor.connection.alias).update(
            search_document=document_vector(self.weighted)
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        index, table = self._index(model, schema_editor)
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(
            f"ALTER TABLE {table} ALTER COLUMN search_document SET STORAGE EXTENDED"
        )

    def describe(self):
        return f"Index and fill {self.model_name}.search_document (PostgreSQL only)"
