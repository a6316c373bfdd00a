"""Schemas of search, shared by the API and the MCP tools."""

from ninja import Field, Schema

from .selectors import MAX_LIMIT


class SearchQuery(Schema):
    q: str = Field("", max_length=300, description="Words or meaning to look for (empty: no results).")
    types: str | None = Field(
        None, description="Comma-separated types: mission, goal, key_result, decision, idea, review, comment."
    )
    team_id: int | None = None
    cycle_id: int | None = None
    limit: int = Field(20, ge=1, le=MAX_LIMIT)

    def type_list(self) -> list[str] | None:
        return [t.strip() for t in (self.types or "").split(",") if t.strip()] or None


class SearchHitOut(Schema):
    type: str
    object_id: int
    title: str
    url: str
    snippet: str = Field(description="HTML: the text escaped, the query's words in <mark>.")
    score: float = Field(
        description="Fused score: the meaning cosine plus the share of the query's words held (in the "
        "title more), plus 1 or more when the title holds the query's words in order (an exact title, a "
        "name or a code)."
    )
    found_by: str = Field(description="What found it: 'words', 'meaning' or 'both'.")
    matched_by: list[str] = Field(description="The same as a list: 'keyword', 'meaning' or both.")
    team_id: int | None
    cycle_id: int | None


class SearchOut(Schema):
    query: str
    meaning_on: bool
    meaning_off_reason: str
    items: list[SearchHitOut]


def hit_out(hit) -> dict:
    doc = hit.doc
    matched = {"words": ["keyword"], "meaning": ["meaning"], "both": ["keyword", "meaning"]}.get(
        hit.found_by, []
    )
    return {
        "type": doc.type,
        "object_id": doc.object_id,
        "title": doc.title,
        "url": doc.url,
        "snippet": str(hit.snippet_html),
        "score": hit.score,
        "found_by": hit.found_by,
        "matched_by": matched,
        "team_id": doc.team_id,
        "cycle_id": doc.cycle_id,
    }


def results_out(results) -> dict:
    return {
        "query": results.query,
        "meaning_on": results.meaning_on,
        "meaning_off_reason": results.meaning_off_reason,
        "items": [hit_out(h) for h in results.hits],
    }


SUGGESTION_LIMIT = 20


class GoalSuggestionOut(Schema):
    goal_id: int
    title: str
    url: str
    team_id: int | None
    team_name: str | None = Field(description="The goal's team; none for an organization goal.")
    cycle_id: int | None
    similarity: float = Field(description='Cosine similarity of meaning (the page\'s "% alike").')


class SimilarGoalsQuery(Schema):
    limit: int = Field(5, ge=1, le=SUGGESTION_LIMIT)


class SimilarGoalsOut(Schema):
    goal_id: int
    threshold: float = Field(description="The least similarity shown: the organization's setting.")
    meaning_on: bool
    meaning_off_reason: str
    items: list[GoalSuggestionOut]


class LikelyParentsQuery(Schema):
    title: str = Field("", max_length=300, description="The draft goal's title.")
    purpose: str = Field("", max_length=2000, description="The draft goal's purpose (why it matters).")
    cycle_id: int | None = Field(None, description="Only goals of this cycle (the draft's).")
    goal_id: int | None = Field(None, description="The goal being edited, left out of its own parents.")
    limit: int = Field(5, ge=1, le=SUGGESTION_LIMIT)


class LikelyParentsOut(Schema):
    threshold: float = Field(description="The least similarity a suggestion has.")
    meaning_on: bool
    meaning_off_reason: str
    items: list[GoalSuggestionOut]


def suggestions_out(hits) -> list[dict]:
    """(document, similarity) pairs of goals as `GoalSuggestionOut`s."""
    return [
        {
            "goal_id": doc.object_id,
            "title": doc.title,
            "url": doc.url,
            "team_id": doc.team_id,
            "team_name": getattr(doc, "team_name", None),
            "cycle_id": doc.cycle_id,
            "similarity": score,
        }
        for doc, score in hits
    ]


def similar_out(goal_id: int, hits, threshold: float, meaning) -> dict:
    return {
        "goal_id": goal_id,
        "threshold": threshold,
        "meaning_on": meaning.on,
        "meaning_off_reason": meaning.reason,
        "items": suggestions_out(hits),
    }


def parents_out(hits, threshold: float, meaning) -> dict:
    return {
        "threshold": threshold,
        "meaning_on": meaning.on,
        "meaning_off_reason": meaning.reason,
        "items": suggestions_out(hits),
    }
