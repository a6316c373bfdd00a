"""The idea pipeline as pure rules: which moves are allowed, and what adopting needs."""

NEW, EXPLORING, ADOPTED, PARKED, REJECTED = "new", "exploring", "adopted", "parked", "rejected"
STATUSES = (NEW, EXPLORING, ADOPTED, PARKED, REJECTED)

# Adopted is final: from then on the idea lives on in the goal or key result it became.
TRANSITIONS: dict[str, frozenset[str]] = {
    NEW: frozenset({EXPLORING, ADOPTED, PARKED, REJECTED}),
    EXPLORING: frozenset({ADOPTED, PARKED, REJECTED}),
    PARKED: frozenset({EXPLORING, REJECTED}),
    REJECTED: frozenset({EXPLORING}),  # reconsidered
    ADOPTED: frozenset(),
}


def move_error(from_status: str, to_status: str) -> str | None:
    """Why the move is not allowed, or None when it is."""
    if to_status not in TRANSITIONS:
        return f"Unknown status {to_status!r}; one of {', '.join(STATUSES)}."
    if to_status == from_status:
        return f"The idea is already {from_status}."
    allowed = TRANSITIONS.get(from_status, frozenset())
    if to_status not in allowed:
        if not allowed:
            return f"A {from_status} idea stays {from_status}."
        options = ", ".join(s for s in STATUSES if s in allowed)
        return f"A {from_status} idea can move to {options}, not to {to_status}."
    return None
