"""The pulse app's hand-written SQL, through `core.queries` (named parameters, the organization filter
required): the open rounds a person has not answered, with their surveys (every home page asks; the
queryset cost ~2 ms to build)."""

from functools import cache

from django.db import connection

from charter.core import queries
from charter.core.rows import columns, row_reader

from .models import RoundParticipation, Survey, SurveyRound


@cache
def _rounds_query(vendor: str):
    q = connection.ops.quote_name
    rounds, surveys, taken = (q(m._meta.db_table) for m in (SurveyRound, Survey, RoundParticipation))
    sql = (
        f"SELECT {columns(SurveyRound, 'r')}, {columns(Survey, 's')} FROM {rounds} r"
        f" JOIN {surveys} s ON s.id = r.survey_id"
        " WHERE r.organization_id = %(organization_id)s AND r.opens_on <= %(today)s"
        " AND r.closes_on >= %(today)s AND s.active"
        f" AND NOT EXISTS (SELECT 1 FROM {taken} p WHERE p.round_id = r.id AND p.user_id = %(user_id)s)"
        " ORDER BY r.closes_on, r.id"
    )
    return sql, row_reader(SurveyRound), row_reader(Survey)[0]


def open_rounds_unanswered(*, organization_id: int, user_id: int, today) -> list[SurveyRound]:
    """The organization's rounds open `today` of active surveys that the person has not answered, by
    closing date, each with its `survey`."""
    sql, (read_round, n_round), read_survey = _rounds_query(connection.vendor)
    params = {
        "organization_id": organization_id,
        "user_id": user_id,
        "today": connection.ops.adapt_datefield_value(today),
    }
    rounds = []
    for row in queries.fetch_all(sql, params):
        rnd = read_round(row[:n_round])
        rnd.survey = read_survey(row[n_round:])
        rounds.append(rnd)
    return rounds
