"""Rounds not yet sealed keep their responses in the order people answered: rewrite them in random order
with new keys once (answering does it on every answer from now on, issue 15)."""

import random
import uuid

from django.db import migrations


def reshuffle(apps, schema_editor):
    Round = apps.get_model("pulse", "SurveyRound")
    Response = apps.get_model("pulse", "Response")
    Answer = apps.get_model("pulse", "Answer")
    for rnd in Round._base_manager.filter(sealed=False).iterator():
        kept: dict = {}
        rows = Answer._base_manager.filter(response__round=rnd).values_list(
            "response_id", "response__team_id", "question_id", "value", "text"
        )
        for response_id, team_id, question_id, value, text in rows:
            kept.setdefault(response_id, (team_id, []))[1].append((question_id, value, text))
        groups = list(kept.values())
        random.shuffle(groups)
        fresh, answers = [], []
        for team_id, given in groups:
            response = Response(id=uuid.uuid4(), organization_id=rnd.organization_id, round=rnd, team_id=team_id)
            fresh.append(response)
            answers += [
                Answer(organization_id=rnd.organization_id, response=response, question_id=q, value=v, text=t)
                for q, v, t in given
            ]
        Response._base_manager.filter(round=rnd).delete()
        Response._base_manager.bulk_create(fresh)
        random.shuffle(answers)
        Answer._base_manager.bulk_create(answers)


class Migration(migrations.Migration):
    dependencies = [("pulse", "0001_initial")]

    operations = [migrations.RunPython(reshuffle, migrations.RunPython.noop)]
