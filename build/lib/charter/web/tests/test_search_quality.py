"""Search quality: paraphrased queries that share no word with their targets find them by meaning."""

import pytest

from charter.goals.tests.factories import make_cycle, make_goal
from charter.search import keyword, selectors, services

# Twelve clear topics, four goals each (48 goals), written as titles only so the no-shared-word rule is exact.
TOPICS = {
    "hiring": [
        "Hire five senior engineers by June",
        "Cut time-to-hire below 30 days",
        "Grow the recruiting pipeline with referrals",
        "Open a hiring office in Berlin",
    ],
    "churn": [
        "Reduce churn to 3%",
        "Raise customer retention above 95%",
        "Win back cancelled accounts",
        "Lower monthly subscription cancellations",
    ],
    "security": [
        "Pass the SOC 2 audit",
        "Patch critical vulnerabilities within 48 hours",
        "Enforce two-factor login for all staff",
        "Run quarterly penetration tests",
    ],
    "onboarding": [
        "Shorten new user onboarding to one day",
        "Publish a getting-started tutorial",
        "Raise activation rate of trial signups",
        "Guide first-time users through setup",
    ],
    "pricing": [
        "Introduce a premium pricing tier",
        "Raise average revenue per account by 10%",
        "Test annual billing discounts",
        "Simplify our price plans",
    ],
    "performance": [
        "Cut page load time below one second",
        "Halve API response latency",
        "Speed up the search results",
        "Reduce database query times",
    ],
    "sustainability": [
        "Cut office carbon emissions by 20%",
        "Switch data centers to renewable energy",
        "Reduce business travel flights",
        "Recycle all hardware waste",
    ],
    "documentation": [
        "Write docs for every public endpoint",
        "Keep the developer guide up to date",
        "Publish a reference manual",
        "Document the release process",
    ],
    "sales": [
        "Close 40 enterprise deals",
        "Double qualified leads from events",
        "Grow partner channel bookings",
        "Shorten the sales cycle",
    ],
    "wellbeing": [
        "Reduce employee burnout",
        "Raise engagement survey score to 80",
        "Offer flexible working hours",
        "Launch a mental health program",
    ],
    "analytics": [
        "Build a dashboard of weekly metrics",
        "Fix gaps in the analytics tracking",
        "Make reporting self-service",
        "Clean up duplicate records in the warehouse",
    ],
    "support": [
        "Answer support tickets within 4 hours",
        "Raise CSAT to 90%",
        "Cut help desk backlog in half",
        "Add live chat for customers",
    ],
}

QUERIES = {
    "keep clients from leaving us": "churn",
    "bring talented workers onto payroll": "hiring",
    "protect systems against hackers and breaches": "security",
    "help beginners become productive quickly after joining": "onboarding",
    "how much money should buyers pay": "pricing",
    "make our app feel snappy and fast": "performance",
    "become greener and protect our planet's climate": "sustainability",
    "explain how things work so engineers understand": "documentation",
    "sign more big contracts with corporate buyers": "sales",
    "prevent exhaustion and stress among staff": "wellbeing",
    "understand numbers and trends with charts": "analytics",
    "respond faster when people seek assistance": "support",
}


def _words(text: str) -> set[str]:
    return set(keyword.terms(text))


@pytest.fixture
def indexed(owner, other_owner):
    """The same 48 goals in two organizations, indexed."""
    topic_of = {}
    for actor in (owner, other_owner):
        cycle = make_cycle(actor, "2026 Q4")
        for topic, titles in TOPICS.items():
            for title in titles:
                goal = make_goal(actor, cycle, title=title, purpose="", end_state="")
                topic_of[(actor.organization.pk, goal.pk)] = topic
        services.reindex(organization_id=actor.organization.pk)
    return topic_of


def _top3_topics(actor, query, mode, topic_of) -> list[str]:
    hits = selectors.search(actor=actor, q=query, types=["goal"], limit=3, mode=mode).hits
    return [topic_of[(h.doc.organization_id, h.doc.object_id)] for h in hits]


def test_the_queries_share_no_word_with_their_targets():
    assert sum(len(t) for t in TOPICS.values()) >= 40 and len(QUERIES) >= 12
    for query, topic in QUERIES.items():
        for title in TOPICS[topic]:
            assert not _words(query) & _words(title), (query, title)


def test_meaning_finds_the_topic_where_keywords_fail(owner, other_owner, indexed):
    by_meaning = {q: t in _top3_topics(owner, q, "both", indexed) for q, t in QUERIES.items()}
    by_keyword = {q: t in _top3_topics(owner, q, "keyword", indexed) for q, t in QUERIES.items()}
    assert sum(by_meaning.values()) >= 10, by_meaning
    assert sum(by_keyword.values()) < 10, by_keyword


def test_no_query_returns_another_organizations_item(owner, other_owner, indexed):
    for actor in (owner, other_owner):
        for query in [*QUERIES, *TOPICS["churn"]]:
            hits = selectors.search(actor=actor, q=query, limit=50).hits
            assert hits
            assert {h.doc.organization_id for h in hits} == {actor.organization.pk}
