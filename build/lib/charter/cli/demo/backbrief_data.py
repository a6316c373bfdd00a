"""The demo's back-briefs: each team restates the intent of the goal it was given, and how it went."""

L = "@charter.local"
MAYA, SOFIA = "demo@charter.local", f"sofia.alvarez{L}"

# goal key -> the team's texts, who reviews, what happened (`flow`) and when (days after it was asked).
# flow: "confirmed", "submitted" (waiting for the reviewer), "clarify" (sent back, not answered yet),
# "clarify-confirmed" (sent back, answered, then confirmed). A goal missing here stays requested.
BACK_BRIEFS = {
    "platform-fast": {
        "reviewer": SOFIA,
        "flow": "confirmed",
        "intent": "Clinics book while a patient waits on the phone, so the booking must feel instant at "
        "9 am and never fail; success is clinics no longer mentioning reliability.",
        "plan": "Alerting on p95 first, then the multi-region move clinic by clinic at night, then the "
        "slow queries the alerts show us.",
        "concerns": "Kenji is our only on-call engineer.",
        "needs": "A second SRE role opened this cycle.",
    },
    "platform-integrations": {
        "reviewer": SOFIA,
        "flow": "confirmed",
        "intent": "Front desks hate retyping patient details; we succeed when a clinic connects its "
        "records system in minutes and never types a patient twice.",
        "plan": "The two records systems most asked for in the sales pipeline first, through their "
        "official APIs, then a public integrations API.",
        "concerns": "Vendors are slow to sign data processing agreements.",
        "needs": "Sales to tell us which systems the deals in the pipeline use.",
    },
    "product-front-desk": {
        "reviewer": MAYA,
        "flow": "clarify",
        "clarification": "Does 'in minutes' mean the whole day's bookings, or each booking? And which "
        "clinics do you measure: all of them, or the mid-size ones we are going after?",
        "intent": "Front desk staff should spend their day with patients, not with our screens.",
        "plan": "A new day view, keyboard shortcuts for the ten most common actions, and a waiting list.",
        "concerns": "Older front-desk PCs are slow with the current app.",
        "needs": "Nothing for now.",
    },
    "growth-trials": {
        "reviewer": SOFIA,
        "flow": "confirmed",
        "intent": "Mid-size clinics do not know we exist; success is 120 qualified trials a month "
        "without paying more for each one.",
        "plan": "Content for clinic managers, the managers' newsletter, and partner referrals; we stop "
        "any channel above 180 EUR per qualified trial.",
        "concerns": "Mid-size clinics need longer than 14 days to try us properly.",
        "needs": "A decision on a longer trial for mid-size clinics.",
    },
    "growth-conversion": {
        "reviewer": SOFIA,
        "flow": "submitted",
        "intent": "A trial is wasted if the clinic never books a real patient; success is more trials "
        "booking on day one and becoming paying clinics.",
        "plan": "An in-app checklist to the first real booking, a call offered on day two, and a weekly "
        "look at where trials stall.",
        "concerns": "Calls on day two need Customer Success time we do not control.",
        "needs": "Two hours a week from an onboarding specialist.",
    },
    "sales-first-25": {
        "reviewer": MAYA,
        "flow": "clarify-confirmed",
        "clarification": "Is 'mid-size' five clinicians or more, or five locations? The playbook and "
        "the pricing depend on it.",
        "intent": "Mid-size clinics are where we become the obvious choice; 25 signed clinics prove they "
        "buy from us and tell us what they need.",
        "plan": "Focus on groups in the two cities where we already have clinics, with references from "
        "them; no discounts beyond 15%.",
        "concerns": "Our sales cycle is 74 days, so the last deals of the cycle must start now.",
        "needs": "Two more account executives, and the 30-day trial for mid-size clinics.",
        "again": "Mid-size clinics (five clinicians or more, or groups of three clinics or more) are where "
        "we become the obvious choice; 25 signed clinics prove they buy from us and tell us what they need.",
    },
    "sales-playbook": {
        "reviewer": MAYA,
        "flow": "confirmed",
        "intent": "Today only Tom knows how to sell to a clinic group; success is any account executive "
        "running the same process and winning.",
        "plan": "Write down the last ten won and lost deals, turn them into a playbook, and train each "
        "account executive on a real deal.",
        "concerns": "Writing takes time away from selling in the busiest quarter.",
        "needs": "Nothing.",
    },
    "cs-go-live": {
        "reviewer": MAYA,
        "flow": "confirmed",
        "intent": "A clinic that waits a month to go live loses faith in us; success is every new clinic "
        "live in under two weeks and happy with how it went.",
        "plan": "Self-serve patient import, short videos for the ten common questions, and a fixed "
        "two-week plan agreed on the first call.",
        "concerns": "Four free onboardings from Sales arrive in the same month.",
        "needs": "Platform to fix duplicate appointments in the calendar sync.",
    },
    "cs-retention": {
        "reviewer": MAYA,
        "flow": "confirmed",
        "intent": "Every clinic that leaves tells ten others; success is half the churn, with clinics "
        "staying because we help them, not because of contracts.",
        "plan": "Call every clinic whose bookings drop two weeks in a row, and fix the three reasons "
        "clinics gave when they left.",
        "concerns": "Two of the three reasons are in Product's hands.",
        "needs": "A monthly half hour with Product on churn reasons.",
    },
    "people-hiring": {
        "reviewer": MAYA,
        "flow": "confirmed",
        "intent": "The mid-size push fails without the people to run it; success is eight good hires who "
        "say yes to us, fast.",
        "plan": "Structured interviews with a scorecard, one recruiter partner, and a 40-day process "
        "from first call to offer.",
        "concerns": "Teams want to hire before they agree what the role is for.",
        "needs": "Each hiring team to write the role's intent before we open it.",
    },
    "people-intent": {
        "reviewer": MAYA,
        "flow": "confirmed",
        "intent": "People do their best work when they know why it matters; success is every team "
        "writing its goals with intent and people able to say how their work serves the mission.",
        "plan": "A workshop per team on goals with intent, and a short pulse question every month.",
        "concerns": "Teams may see it as paperwork.",
        "needs": "Leaders to write their own goals with intent first.",
    },
    "prev-reminders": {
        "reviewer": MAYA,
        "flow": "confirmed",
        "intent": "A missed appointment is a lost slot and a patient without care; success is far fewer "
        "no-shows in the clinics that use reminders.",
        "plan": "Text reminders two days and two hours before, with a one-tap cancel that frees the slot.",
        "concerns": "Text messages cost money per clinic.",
        "needs": "A decision on who pays for the texts.",
    },
    "prev-germany": {
        "reviewer": MAYA,
        "flow": "confirmed",
        "intent": "Germany is our first step abroad; success is twenty German clinics paying and telling "
        "us what a German clinic needs.",
        "plan": "A German-speaking account executive, two partner practices in Munich as references.",
        "concerns": "German data protection rules may need changes we cannot estimate yet.",
        "needs": "Legal advice on hosting patient data in Germany.",
    },
}
