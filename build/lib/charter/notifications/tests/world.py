"""Objects of notifications for the sweeps: a notification of the owner and a webhook."""

from charter.organizations.models import Role

from ..services import notify
from ..webhooks import webhook_create


def add_to_world(world) -> None:
    (notification,) = notify(
        actor=world.actors[Role.MEMBER],
        event="mention",
        recipient_ids=[world.owner.user_id],
        title="You were mentioned",
        url="/",
    )
    webhook = webhook_create(
        actor=world.owner, name="Sweep hook", url="https://hooks.example.com/x", events=["goal.at_risk"]
    )
    world.ids["notification_id"] = notification.pk
    world.ids["webhook_id"] = webhook.pk
