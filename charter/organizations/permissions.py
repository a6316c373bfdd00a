"""The permission matrix: which role may take which action. Object rules live in the services."""

from .models import Role

_ALL = frozenset(Role.values)
_CONTRIBUTORS = frozenset({Role.OWNER, Role.ADMIN, Role.LEADER, Role.MEMBER})
_LEADERS = frozenset({Role.OWNER, Role.ADMIN, Role.LEADER})
_ADMINS = frozenset({Role.OWNER, Role.ADMIN})

# action -> roles that may take it (before any object rule narrows it further)
MATRIX: dict[str, frozenset[str]] = {
    "organization.view": _ALL,
    "token.manage": _ALL,  # one's own tokens; a viewer's token can only read
    "account.manage": _ALL,  # one's own profile, email, sessions and two-factor
    "mission.edit": _LEADERS,
    "cycle.manage": _LEADERS,
    "goal.create": _CONTRIBUTORS,
    "goal.edit": _CONTRIBUTORS,  # members: goals of their teams, or that they are accountable for
    "goal.delete": _LEADERS,
    "key_result.edit": _CONTRIBUTORS,
    "check_in.create": _CONTRIBUTORS,  # members: key results of their teams' goals, or their own
    "team.manage": _ADMINS,
    "people.manage": _ADMINS,
    "people.invite": _ADMINS,  # only an owner may invite an owner (services)
    # any signed-in person, unless CHARTER_ALLOW_ORGANIZATION_CREATE is off; they own what they create
    "organization.create": _ALL,
    "organization.manage": _ADMINS,
    # empowerment: decisions, delegation, back-briefs, ideas, comments, notifications
    "decision_domain.manage": _LEADERS,
    "delegation.set": _LEADERS,  # leaders set each team's level per domain (and run delegation poker)
    "delegation_poker.pick": _CONTRIBUTORS,  # lay one's card in a session one is invited to
    "decision.record": _CONTRIBUTORS,  # the delegation level then decides what the record becomes
    "decision.respond": _CONTRIBUTORS,  # agree, advise, decide a proposal: only the one it is addressed to
    "back_brief.submit": _CONTRIBUTORS,  # members of the goal's team
    "back_brief.review": _CONTRIBUTORS,  # the goal's accountable person confirms or asks for clarification
    "idea.create": _CONTRIBUTORS,
    "idea.vote": _CONTRIBUTORS,
    "idea.move": _LEADERS,  # through the pipeline: exploring, adopted, parked, rejected
    "comment.create": _CONTRIBUTORS,
    "calendar.feed": _ALL,  # one's own calendar feed: its secret address made, replaced or turned off
    "notification.manage": _ALL,  # one's own inbox (mark read) and channel preferences: a write
    "webhook.manage": _ADMINS,
    "slack.manage": _ADMINS,  # the organization's Slack installation (workspace, bot token, signing secret)
    # monitor and adapt: metrics, data sources, reviews, pulse, lint
    "metric.manage": _LEADERS,  # metrics and their data sources
    "review.write": _CONTRIBUTORS,  # grades, retrospective, adapting goals: members of the team
    "pulse.manage": _ADMINS,
    "pulse.answer": _ALL,
    "lint.configure": _ADMINS,
    "insights.transition": _ADMINS,  # the transition per team and cycle (its small teams' figures hidden)
    # AI agents under mission command
    "agent.manage": _LEADERS,  # create agent members; sponsors revoke their agents' tokens
    # training: the lessons' exercises change goals, back-briefs and ideas
    "lesson.take": _CONTRIBUTORS,
}

ROLES_THAT_EDIT_EVERYTHING = _LEADERS


def allowed_actions(role: str) -> frozenset[str]:
    return frozenset(action for action, roles in MATRIX.items() if role in roles)


# Token scopes (agents' tokens, optionally people's): scope -> actions it allows. A token with scopes
# may take the actions of its owner's role that one of its scopes allows; a token without scopes, all.
SCOPES: dict[str, frozenset[str]] = {
    "read": frozenset({"organization.view", "insights.transition"}),  # the role still decides
    "check_in": frozenset({"check_in.create"}),
    "propose": frozenset({"decision.record", "idea.create", "back_brief.submit", "delegation_poker.pick"}),
    "decide": frozenset({"decision.respond"}),
    "comment": frozenset({"comment.create"}),
    "inbox": frozenset({"notification.manage"}),  # mark one's notifications read, set one's channels
    "delegate": frozenset({"delegation.set"}),  # a leader's token: set levels, accept or dismiss advice
}

# The SCIM provisioning token's one scope: kept out of SCOPES (no personal or agent token may take it);
# a token with it acts only at /scim/v2/, and no other token acts there (services.token_actor).
SCIM_SCOPE = "scim"
SCIM_ACTIONS = frozenset({"people.manage", "team.manage"})


def scoped_actions(allowed: frozenset[str], scopes) -> frozenset[str]:
    """The role's actions narrowed to the token's scopes (no scopes: the role's actions unchanged)."""
    if not scopes:
        return allowed
    known = SCOPES | {SCIM_SCOPE: SCIM_ACTIONS}
    granted = frozenset().union(*(known.get(scope, frozenset()) for scope in scopes))
    return allowed & granted
