"""The sweeps' world gets a metric with a value, linked to the team goal, and an inbound source feeding it."""

from charter.metrics.services import metric_create, metric_value_record, source_create
from charter.organizations.models import Role


def add_to_world(world) -> None:
    leader = world.actors[Role.LEADER]
    metric = metric_create(
        actor=leader,
        name="Uptime",
        unit="%",
        team_id=world.ids["team_id"],
        healthy=99.9,
        warning=99.5,
        critical=99.0,
        goal_ids=[world.ids["goal_id"]],
    )
    metric_value_record(actor=leader, metric_id=metric.pk, value=99.95)
    source = source_create(actor=leader, name="Status page", kind="inbound", metric_id=metric.pk)
    world.ids["metric_id"] = metric.pk
    world.ids["source_id"] = source.pk
