"""The help text of a back-brief: what it is, with a good and a bad example (shown in the help panel)."""

GOOD = {
    "intent": "Customers leave in their first month because set-up is slow; success is a new customer "
    "using the product on day one without calling support.",
    "plan": "Cut the set-up to three steps, import data for them, and watch the first ten sign-ups live.",
    "concerns": "The data import depends on the platform team's API, which is not ready before week 6.",
    "needs": "A decision on whether we may drop the welcome call; two days of the platform team in week 3.",
}
BAD = {
    "intent": "Do onboarding.",
    "plan": "We will work hard on it.",
    "concerns": "None.",
    "needs": "More people.",
}
WHY_BAD = (
    "It repeats the title, plans effort instead of outcomes, and hides the risks the leader needs to know."
)
