"""`SQLOnce(expression)`: an annotation whose SQL is compiled the first time its query runs and reused by
every later run of that query (and of its clones). For a query kept per process and run again and again
with another filter on top, such as the goal page's goal with every panel's reads: compiling its dozens of
correlated subqueries costs more CPU than the database takes to run them.

Only Django's documented expression API is used: `resolve_expression` resolves the wrapped expression
once, `as_sql` compiles it through the compiler Django hands in, `get_db_converters` keeps the wrapped
expression's converters. The kept SQL and parameters belong to the resolved expression, so it must not
depend on anything that changes between runs of the query it sits in: the query is kept by whatever the
expression depends on (the organization and the person, for the goal page's panels)."""

from django.db.models import Expression


class SQLOnce(Expression):
    def __init__(self, expression):
        super().__init__()
        self.expression = expression
        self.compiled: dict = {}

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.expression = self.expression.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        clone.compiled = {}  # this resolution's own SQL: another query resolves its own
        return clone

    def _resolve_output_field(self):
        return self.expression.output_field

    @property
    def contains_aggregate(self):
        return self.expression.contains_aggregate

    def as_sql(self, compiler, connection):
        found = self.compiled.get(connection.alias)
        if found is None:
            found = self.compiled[connection.alias] = compiler.compile(self.expression)
        return found

    def get_db_converters(self, connection):
        return self.expression.get_db_converters(connection)
