"""The sweeps' world gets a pulse survey of one question with its round open today."""

from charter.organizations.models import Role
from charter.pulse.services import round_open, survey_create


def add_to_world(world) -> None:
    admin = world.actors[Role.ADMIN]
    survey = survey_create(
        actor=admin, title="Sweep pulse", questions=[{"text": "I look forward to my work", "kind": "scale5"}]
    )
    rnd = round_open(actor=admin, survey_id=survey.pk)
    world.ids["survey_id"] = survey.pk
    world.ids["round_id"] = rnd.pk
    world.ids["question_id"] = survey.questions.get().pk
