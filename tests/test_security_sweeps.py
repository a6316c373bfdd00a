"""Security sweeps over every web route:

- CSRF: a POST with the session cookie but no CSRF token is refused (403) on every route;
- audit: every write route, done once validly, leaves at least one AuditEvent;
- every route is classified here as a write or a read, so a new route needs a decision;
- web forms ignore fields they do not have: the object lands in the actor's organization, by the actor.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from charter.core.models import AuditEvent
from charter.organizations.models import User
from charter.organizations.tests.factories import PASSWORD, refresh_actor
from tests.test_sweeps import ROUTES, _url
from tests.world import build_world

NEW_PASSWORD = "a-brand-new-passphrase-9"
DROP = object()  # an override that removes a harvested field


class FORM(dict):
    """Data harvested from the form on the route's own page (GET), with these overrides."""


# Each write route and a valid submission of it: a dict (posted as is; callables get the world's ids)
# or FORM(overrides).
WRITES = {
    "account": FORM(full_name="Swept name"),
    "account_email": {"email": "swept@example.org", "password": PASSWORD},
    "account_sign_out_everywhere": {},
    "agent_deactivate": {},
    "agent_edit": FORM(name="Swept agent"),
    "agent_create": lambda ids: FORM(name="Sweep agent", sponsor_id=ids["user_id"], team_id=ids["team_id"]),
    "agent_token_create": {"name": "sweep", "scopes": "read", "days": 30},
    "agent_token_revoke": {},
    "back_brief_clarify": {"message": "What does success look like?"},
    "back_brief_confirm": {},
    "back_brief_submit": {"intent": "Why", "plan": "How", "concerns": "None", "needs": "Nothing"},
    "check_in_create": {"value": 12, "confidence": 7, "note": ""},
    "comment_create": lambda ids: {"target_type": "goal", "target_id": ids["goal_id"], "body": "Sweep"},
    "comment_delete": {},
    "comment_edit": {"body": "Swept"},
    "cycle_create": FORM(name="Sweep cycle", starts_on="2030-01-01", ends_on="2030-03-31"),
    "cycle_edit": FORM(name="Swept cycle"),
    "decision_create": lambda ids: FORM(
        team_id=ids["team_id"], domain_id=ids["domain_id"], title="Sweep decision", decision="Do it"
    ),
    "decision_domain_create": {"name": "Sweep domain"},
    "decision_domain_delete": {},
    "decision_domain_edit": FORM(name="Swept domain"),
    "decision_respond": {"action": "decide", "note": "sweep"},
    "delegation_edit": {"level": 5, "reason": "sweep"},
    "delegation_advice_accept": {},
    "delegation_advice_dismiss": {"reason": "sweep"},
    "poker_create": lambda ids: {"team_id": ids["team_id"], "domain_ids": [ids["domain_id"]]},
    "poker_pick": lambda ids: {"domain_id": ids["domain_id"], "level": 4},
    "poker_reveal": {},
    "poker_set_level": {"level": 4, "reason": "sweep"},
    "delegation_advice_settings": FORM(min_history=2),
    "goal_adapt": lambda ids: {
        f"adapt-{ids['goal_id']}-adaptation": "drop",
        f"adapt-{ids['goal_id']}-reason": "x",
    },
    "goal_create": FORM(title="Sweep goal"),
    "goal_delete": {},
    "goal_edit": FORM(title="Swept goal"),
    "goal_grade": lambda ids: {f"g{ids['goal_id']}-grade": 0.5},
    "idea_create": FORM(title="Sweep idea"),
    "idea_edit": FORM(title="Swept idea"),
    "idea_move": {"to_status": "exploring", "reason": "sweep"},
    "idea_vote": {},
    "invitation_accept": {},  # signed in as the invited address: one click joins (see _prepare)
    "invitation_create": {"emails": "sweep@example.org, sweep2@example.org", "role": "member"},
    "invitation_resend": {},
    "invitation_revoke": {},
    "key_result_create": FORM(title="Sweep KR", kind="increase", start=0, target=1),
    "key_result_delete": {},
    "key_result_edit": FORM(title="Swept KR"),
    "lesson_check": {},
    "lesson_start": {},
    "lint_settings": FORM(on_CH007=DROP),
    "metric_create": FORM(name="Sweep metric"),
    "metric_edit": FORM(name="Swept metric"),
    "metric_inbound": {"value": 3},
    "metric_inbound_token": {"value": 4},
    "metric_value_create": {"value": 3, "note": ""},
    "organization_create": {"name": "Sweep organization", "slug": ""},
    "mission_edit": FORM(statement="Serve better", reason="sweep"),
    "notification_preferences": FORM(mention__email=DROP),
    "organization_settings": FORM(name="Acme renamed"),
    "password_change": {
        "old_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD,
    },
    "person_create": {"email": "new@example.org", "full_name": "New Person", "role": "member"},
    "person_edit": FORM(title="Swept"),
    "signup": {"email": "newcomer@signup.example"},  # the organization takes sign-ups (see _prepare)
    "review_retrospective": {"what_worked": "Sweep"},
    "round_open": {},
    "source_create": lambda ids: {
        "name": "Sweep source",
        "kind": "inbound",
        "metric_id": ids["metric_id"],
        "interval_minutes": 60,
        "csv_row": -1,
        "is_active": "on",
    },
    "slack_settings": FORM(team_id="T0SWEEP", bot_token="xoxb-sweep-token", signing_secret="a1" * 16),
    "source_delete": {},
    "source_edit": FORM(name="Swept source"),
    "source_pull": {},
    "sso_settings": FORM(name="Swept provider"),
    "survey_create": FORM(title="Sweep pulse"),
    "survey_edit": FORM(title="Swept pulse"),
    "team_create": FORM(name="Sweep team"),
    "team_edit": FORM(name="Swept team"),
    "team_member_add": lambda ids: {"user_id": ids["user_id"]},
    "team_member_remove": {},
    "scim_token_create": {"name": "sweep"},
    "scim_token_revoke": {},
    "token_create": {"name": "sweep", "days": 30},
    "two_factor_disable": {"password": PASSWORD},
    "two_factor_enrol": lambda ids: {"code": ids.get("totp_code", "000000")},
    "two_factor_recovery_codes": {"password": PASSWORD},
    "token_revoke": {},
    "calendar_revoke": {},
    "calendar_rotate": {},
    "webhook_create": FORM(name="Sweep hook", url="https://hooks.example.com/x", events="mention"),
    "webhook_delete": {},
    "webhook_edit": FORM(name="Swept hook"),
    "webhook_test": {},
}

# Writes that leave no audit event on purpose, each with its reason.
NOT_AUDITED = {
    "login": "a session event: no organization's data changes (the session key is renewed)",
    "login_code": "a session event (a recovery code spent is audited: charter/accounts/tests)",
    "password_reset": "sends an email (or none, for an unknown address); writes no data",
    "password_reset_confirm": "audited (user.password_reset), but its link first moves its token into the "
    "session: charter/accounts/tests/test_password_reset.py follows it",
    "sso_start": "a session event: keeps the sign-in's state, nonce and PKCE verifier in the session",
    "sso_callback": "audited (user.sso_sign_in) when a provider answers: charter/accounts/tests/test_sso.py",
    "logout": "a session event: the session row is deleted, no organization's data changes",
    "organization_switch": "changes which organization this session works in; writes no data",
    "setup": "first run only: 404 once anyone exists, as in every world; test_setup.py checks its audit",
    "notification_read": "marks the person's own inbox row read",
    "notification_read_all": "marks the person's own inbox rows read",
    "round_answer": "pulse answers are anonymous by design: an audit row would time-stamp who answered",
    "slack_commands": "signed by Slack, refused here unsigned (401); what it does is audited by the services "
    "it calls (charter/slack/tests)",
    "slack_interactions": "signed by Slack, refused here unsigned (401); the check-ins, decisions and "
    "back-briefs it changes are audited by their services (charter/slack/tests)",
}

# Routes that write nothing (a POST, where accepted, only renders or previews).
READS = {
    "agent_detail", "agent_list", "back_brief_list", "calendar_feed", "calendar_settings", "check_in_week",
    "cycle_list", "cycle_review",
    "decision_detail", "decision_domain_list", "decision_goal_options", "decision_log", "decision_preview",
    "delegation_advice", "delegation_advice_mine", "delegation_board", "delegation_history", "goal_brief",
    "goal_detail", "goal_list", "guide", "help",
    "home", "password_reset_done",
    "idea_board", "idea_detail", "idea_list", "insights", "insights_csv", "insights_profile",
    "insights_report", "insights_report_markdown", "insights_transition", "key_result_comments",
    "lesson_detail", "lesson_list",
    "lesson_progress", "lint", "mention_people",
    "metric_detail", "metric_list", "mission", "notification_badge", "notification_list",
    "person_list", "person_options", "poker_detail", "poker_list", "poker_live",
    "pulse_home", "review_detail", "scim_token_list", "review_home", "search", "search_align",
    "source_detail", "strategy_map", "survey_results", "survey_team_results", "team_authority",
    "team_detail", "team_list", "team_options", "token_list", "webhook_deliveries", "webhook_list",
}  # fmt: skip

# Routes that take no session: authenticated by their own secret, so CSRF does not apply.
CSRF_EXEMPT = {
    "metric_inbound": "a data source pushes with its token (Bearer header); no cookie is read",
    "metric_inbound_token": "a data source pushes to its secret URL; no cookie is read",
    "slack_commands": "Slack signs each request with the workspace's signing secret; no cookie is read",
    "slack_interactions": "Slack signs each request with the workspace's signing secret; no cookie is read",
}


def test_every_route_is_classified_as_a_write_or_a_read():
    names = {p.name for p in ROUTES}
    writes = set(WRITES) | set(NOT_AUDITED)
    assert not writes & READS
    assert names - writes - READS == set(), "classify the new routes in tests/test_security_sweeps.py"
    assert (writes | READS) - names == set(), "these routes are gone: remove them here"


def _path(pattern, ids):
    if pattern.name == "metric_inbound_token":
        return reverse(pattern.name, args=[ids["source_token"]])
    if pattern.name == "invitation_accept":
        return reverse(pattern.name, args=[ids["invitation_token"]])
    if pattern.name == "signup":
        return reverse(pattern.name, args=[ids["organization_slug"]])
    return _url(pattern, ids)


def _world_with_source_token():
    """The world, and the push token of an inbound source (known only when it is created)."""
    from charter.metrics.services import source_create

    world = build_world("Acme")
    source = source_create(actor=world.owner, name="Pushed", kind="inbound", metric_id=world.ids["metric_id"])
    world.ids["source_token"] = source.token
    return world


# ---- CSRF -------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", [p for p in ROUTES if p.name not in CSRF_EXEMPT], ids=lambda p: p.name)
def test_a_post_with_the_session_but_no_csrf_token_is_403(pattern):
    world = _world_with_source_token()
    client = Client(enforce_csrf_checks=True)
    assert client.login(email=world.owner.user.email, password=PASSWORD)
    before = AuditEvent.objects.unscoped().count()
    data = WRITES.get(pattern.name, {})
    data = data(world.ids) if callable(data) else data
    response = client.post(_path(pattern, world.ids), {k: v for k, v in data.items() if v is not DROP})
    assert response.status_code == 403, f"{pattern.name}: {response.status_code} without a CSRF token"
    assert AuditEvent.objects.unscoped().count() == before


@pytest.mark.django_db
def test_the_same_post_with_the_csrf_token_passes():
    """The control of the sweep above."""
    world = build_world("Acme")
    client = Client(enforce_csrf_checks=True)
    assert client.login(email=world.owner.user.email, password=PASSWORD)
    page = client.get(reverse("idea_create"))
    token = page.context["csrf_token"]
    response = client.post(reverse("idea_create"), {"title": "With the token", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


# ---- audit ------------------------------------------------------------------------------------------


class _Forms(HTMLParser):
    """The POST forms of a page, each as (action, fields) with the values a browser would submit."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        if self._form is None or "name" not in a and tag != "option":
            return
        fields = self._form["fields"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.setdefault(a["name"], []).append(a.get("value", "on"))
                elif kind == "radio":
                    fields.setdefault(a["name"], [])
                return
            fields[a["name"]] = [a.get("value", "")]
        elif tag == "select":
            self._select = {"name": a["name"], "first": None, "chosen": [], "multiple": "multiple" in a}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if "selected" in a:
                self._select["chosen"].append(value)
            elif self._select["first"] is None and value:
                self._select["first"] = value
        elif tag == "textarea":
            self._textarea = a["name"]
            fields[a["name"]] = [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            s = self._select
            chosen = s["chosen"] or ([] if s["multiple"] or s["first"] is None else [s["first"]])
            self._form["fields"][s["name"]] = chosen
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea][0] += data


def _harvest(client, url) -> dict:
    page = client.get(url)
    assert page.status_code == 200, f"{url}: {page.status_code}"
    parser = _Forms()
    parser.feed(page.content.decode())
    own = [f for f in parser.forms if f["action"] in ("", url) and "csrfmiddlewaretoken" in f["fields"]]
    assert own, f"{url}: no form posting to itself"
    fields = max(own, key=lambda f: len(f["fields"]))["fields"]
    fields.pop("csrfmiddlewaretoken")
    radio_defaults = {name: [] for name, values in fields.items() if values == []}
    return {name: values for name, values in fields.items() if name not in radio_defaults}


def _prepare(name, world, monkeypatch):
    """Bring the world into the state where this write is valid once; who does it."""
    owner = world.owner
    if name == "agent_token_revoke":
        from charter.agents.models import AgentProfile
        from charter.agents.tests.factories import make_agent_token

        agent = AgentProfile.objects.for_org(owner.organization).get(user_id=world.ids["agent_id"])
        world.ids["token_id"] = make_agent_token(owner, agent)[0].pk
    elif name == "invitation_accept":  # an existing account, invited, joins with one click
        from types import SimpleNamespace

        from charter.organizations.services import invitation_create
        from charter.organizations.tests.factories import make_user

        user = make_user("Acme joiner")
        (_, link), *_ = invitation_create(actor=owner, emails=[user.email], role="member").sent
        world.ids["invitation_token"] = link.rstrip("/").rsplit("/", 1)[-1]
        return SimpleNamespace(user=user)
    elif name == "signup":
        from charter.organizations.models import Organization

        Organization.objects.filter(pk=owner.organization_id).update(signup_domain="signup.example")
    elif name == "poker_set_level":  # the level is set from turned cards
        from charter.delegation.services import poker_reveal

        poker_reveal(actor=owner, session_id=world.ids["poker_id"])
    elif name == "back_brief_submit":
        from charter.backbriefs.services import back_brief_request_clarification

        back_brief_request_clarification(
            actor=owner, back_brief_id=world.ids["back_brief_id"], message="More"
        )
        return refresh_actor(User.objects.get(full_name="Acme writer"), owner.organization)
    elif name == "decision_domain_delete":
        from charter.delegation.services import domain_create

        world.ids["domain_id"] = domain_create(actor=owner, name="Unused domain").pk
    elif name == "round_open":
        from charter.pulse.services import survey_create

        questions = [{"text": "I know why my work matters", "kind": "scale5"}]
        world.ids["survey_id"] = survey_create(actor=owner, title="Not yet open", questions=questions).pk
    elif name == "source_pull":
        from charter.metrics import pulling
        from charter.metrics.services import source_create

        source = source_create(
            actor=owner,
            name="Pulled",
            kind="json",
            metric_id=world.ids["metric_id"],
            url="https://data.example.com/x.json",
            json_path="v",
        )
        world.ids["source_id"] = source.pk
        monkeypatch.setattr(pulling, "fetch", lambda url, allow_private: b'{"v": 42}')
    elif name in ("two_factor_disable", "two_factor_recovery_codes", "two_factor_enrol"):
        from charter.accounts.services import two_factor_begin, two_factor_confirm
        from charter.accounts.tests.helpers import code_for

        device = two_factor_begin(actor=owner)
        if name == "two_factor_enrol":
            world.ids["totp_code"] = code_for(device.bin_key)
        else:
            two_factor_confirm(actor=owner, code=code_for(device.bin_key))
    elif name == "team_member_remove":
        from charter.organizations.services import team_member_set

        team_member_set(actor=owner, team_id=world.ids["team_id"], user_id=world.ids["user_id"])
    return owner


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(WRITES))
def test_every_write_route_leaves_an_audit_event(client, name, monkeypatch):
    pattern = next(p for p in ROUTES if p.name == name)
    world = _world_with_source_token()
    actor = _prepare(name, world, monkeypatch)
    assert client.login(email=actor.user.email, password=PASSWORD)
    url = _path(pattern, world.ids)
    spec = WRITES[name]
    spec = spec(world.ids) if callable(spec) else spec
    data = _harvest(client, url) if isinstance(spec, FORM) else {}
    for key, value in spec.items():
        if value is DROP:
            data.pop(key, None)
        else:
            data[key] = value
    headers = {}
    if name == "metric_inbound":
        headers["Authorization"] = f"Bearer {world.ids['source_token']}"
    before = AuditEvent.objects.unscoped().count()
    response = client.post(url, data, headers=headers)
    assert response.status_code in (200, 201, 204, 302), f"{name}: {response.status_code}"
    if response.status_code == 200 and "form" in (response.context or {}):
        assert not response.context["form"].errors, f"{name}: {response.context['form'].errors}"
    assert AuditEvent.objects.unscoped().count() > before, f"{name} wrote without an audit event"


def test_the_unaudited_writes_exist():
    assert set(NOT_AUDITED) <= {p.name for p in ROUTES}


# ---- web forms ignore unknown fields ----------------------------------------------------------------


@pytest.mark.django_db
def test_web_forms_ignore_an_organization_or_author_sent_along(client):
    from charter.goals.models import Goal
    from charter.ideas.models import Idea

    mine, theirs = build_world("Acme"), build_world("Globex")
    member = mine.actors["member"]
    assert client.login(email=member.user.email, password=PASSWORD)
    smuggled = {
        "organization": theirs.owner.organization_id,
        "organization_id": theirs.owner.organization_id,
        "author_id": theirs.owner.user_id,
        "created_by_id": theirs.owner.user_id,
        "role": "owner",
    }
    assert client.post(reverse("idea_create"), {"title": "Smuggled idea", **smuggled}).status_code == 302
    idea = Idea.objects.unscoped().get(title="Smuggled idea")
    assert idea.organization_id == member.organization_id
    assert idea.author_id == member.user_id

    data = _harvest(client, reverse("goal_create")) | {"title": "Smuggled goal", **smuggled}
    data["team_id"] = mine.ids["team_id"]
    assert client.post(reverse("goal_create"), data).status_code == 302
    goal = Goal.objects.unscoped().get(title="Smuggled goal")
    assert goal.organization_id == member.organization_id
    event = AuditEvent.objects.unscoped().get(action="goal.create", object_id=str(goal.pk))
    assert event.actor_id == member.user_id and event.organization_id == member.organization_id
    member.user.refresh_from_db()
    assert refresh_actor(member.user, member.organization).role == "member"
