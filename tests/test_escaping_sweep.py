"""Escaping sweep: every read page, with markup in every name and title the world holds, shows it as text.

The hot pages draw their rows in Python (strategy map, decision log, lint badges, insights cards, filter
options) rather than through templates that escape by default; this sweep proves that no text a person can
write reaches a page as markup, on every route, including those added later.
"""

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from charter.organizations.models import User
from charter.organizations.tests.factories import PASSWORD
from tests.test_security_sweeps import READS
from tests.test_sweeps import ROUTES, _url
from tests.world import build_world

PROBE = "<x-probe title='q'>\"&"
# Pages whose answer is not HTML: their user text is escaped by their own format (JSON, CSV, Markdown).
NOT_HTML = {"insights_csv", "insights_report_markdown", "mention_people"}
# Short text fields a person writes, by their names in Charter's models.
TEXT_FIELDS = {"title", "name", "full_name", "statement", "purpose", "unit", "note", "description"}


def _poison_every_text(organization_id: int) -> int:
    """Put the probe into every short text field of the organization's rows (with the row's id, for the
    unique names); how many rows changed."""
    changed = 0
    for model in apps.get_models():
        if not model.__module__.startswith("charter.") or not hasattr(model, "organization_id"):
            continue
        limits = {
            f.name: f.max_length or 1000
            for f in model._meta.concrete_fields
            if f.name in TEXT_FIELDS and isinstance(f, models.CharField | models.TextField) and not f.choices
        }
        names = [n for n, limit in limits.items() if limit >= 16]  # room for the id and "<x-probe"
        if not names:
            continue
        for pk in model._base_manager.filter(organization_id=organization_id).values_list("pk", flat=True):
            values = {n: f"{pk}{PROBE}"[: limits[n]] for n in names}  # the id first: names stay unique
            changed += model._base_manager.filter(pk=pk).update(**values)
    return changed


@pytest.mark.django_db
def test_markup_in_names_and_titles_is_shown_as_text_on_every_read_page():
    world = build_world("Acme")
    assert _poison_every_text(world.ids["organization_id"]) > 20
    User.objects.filter(pk=world.owner.user_id).update(full_name=PROBE)
    client = Client()
    assert client.login(email=world.owner.user.email, password=PASSWORD)
    checked = []
    for pattern in ROUTES:
        if pattern.name not in READS or pattern.name in NOT_HTML:
            continue
        response = client.get(_url(pattern, world.ids))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        assert "<x-probe" not in body, f"{pattern.name}: a name or title reached the page as markup"
        checked.append(pattern.name)
    # The control: the pages that matter do show the probe, escaped.
    for name in ("strategy_map", "decision_log", "goal_detail", "home", "insights", "goal_list", "lint"):
        assert name in checked
    page = client.get(reverse("strategy_map")).content.decode()
    assert "&lt;x-probe" in page
