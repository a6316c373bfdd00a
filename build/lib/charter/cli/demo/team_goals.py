"""The demo's team goals (current and previous cycle), each contributing to a strategic goal."""

from .content import kr

L = "@charter.local"

TEAM_GOALS = [
    {
        "key": "platform-fast",
        "team": "Platform",
        "owner": f"raj.patel{L}",
        "parent": "S1",
        "profile": "on_track",
        "title": "Scheduling is fast and never lets a clinic down",
        "purpose": "A front desk with a patient on the phone cannot wait for a spinner; every outage is a "
        "morning of double bookings for a clinic.",
        "end_state": "Booking feels instant at peak hours and clinics stop mentioning reliability in "
        "support tickets.",
        "constraints": "No downtime during clinic opening hours (7:00 to 19:00 local time) for migrations.",
        "freedoms": "Platform picks the architecture, the tooling and the order of the work.",
        "krs": [
            kr(
                "Keep p95 booking API latency between 120 and 250 ms",
                "range",
                410,
                120,
                "ms",
                f"kenji.sato{L}",
                target_max=250,
            ),
            kr(
                "Cut incidents with patient impact from 6 to 1 per quarter",
                "decrease",
                6,
                1,
                "incidents",
                f"marcus.lee{L}",
            ),
            kr("Move every clinic to the multi-region database", "milestone", owner=f"hannah.schmidt{L}"),
        ],
    },
    {
        "key": "platform-integrations",
        "team": "Platform",
        "owner": f"marcus.lee{L}",
        "parent": "S1",
        "supports": ["S3"],
        "profile": "stale",
        "title": "Clinic data flows in from the tools clinics already use",
        "purpose": "Retyping patient details from the records system is the chore front desks hate most and "
        "the first reason they give for staying on paper.",
        "end_state": "A clinic connects its records system in minutes and never types a patient's details "
        "twice.",
        "constraints": "Only vendors with a signed data processing agreement; no screen scraping.",
        "freedoms": "The team chooses which vendors to support first, guided by the sales pipeline.",
        "krs": [
            kr(
                "Raise clinics syncing with their records system from 12% to 45%",
                "increase",
                12,
                45,
                "%",
                f"hannah.schmidt{L}",
            ),
            kr("Open the integrations API to partners", "milestone", owner=f"marcus.lee{L}"),
        ],
    },
    {
        "key": "product-front-desk",
        "team": "Product",
        "owner": f"omar.haddad{L}",
        "parent": "S1",
        "profile": "at_risk",
        "title": "Front desk staff finish the day's scheduling in minutes",
        "purpose": "Every minute a receptionist spends fighting the calendar is a minute not spent with the "
        "patient in front of them.",
        "end_state": "Booking, moving and confirming an appointment takes a few clicks, and staff say so "
        "unprompted.",
        "constraints": "Keep every keyboard shortcut working; power users depend on them.",
        "freedoms": "Product decides what to redesign, what to remove and which clinics to test with.",
        "krs": [
            kr(
                "Cut median time to book an appointment from 95 s to 40 s",
                "decrease",
                95,
                40,
                "s",
                f"chloe.martin{L}",
            ),
            kr(
                "Raise front-desk staff active weekly from 55% to 75%",
                "increase",
                55,
                75,
                "%",
                f"omar.haddad{L}",
            ),
            kr("Raise front-desk NPS from 31 to 45", "increase", 31, 45, "", f"omar.haddad{L}"),
        ],
    },
    {
        "key": "growth-trials",
        "team": "Growth",
        "owner": f"julia.novak{L}",
        "parent": "S2",
        "profile": "at_risk",
        "title": "Mid-size clinics find us and try us",
        "purpose": "Sales can only win the clinics that raise their hand; today too few mid-size clinics "
        "know we exist.",
        "end_state": "A steady flow of qualified mid-size clinics starts a trial each month, at a cost we "
        "can afford.",
        "constraints": "No purchased contact lists; every message respects consent.",
        "freedoms": "Growth chooses channels, budget split and experiments within the quarterly budget.",
        "krs": [
            kr(
                "Grow qualified mid-size trial sign-ups from 40 to 120 a month",
                "increase",
                40,
                120,
                "trials",
                f"elif.yilmaz{L}",
            ),
            kr(
                "Cut cost per qualified trial from 310 to 180 EUR",
                "decrease",
                310,
                180,
                "EUR",
                f"lucas.silva{L}",
            ),
        ],
    },
    {
        "key": "growth-conversion",
        "team": "Growth",
        "owner": f"lucas.silva{L}",
        "parent": "S2",
        "profile": "on_track",
        "title": "Trials turn into paying clinics",
        "purpose": "A trial that ends without a first real booking is a lost clinic and wasted spend.",
        "end_state": "Trial clinics book their first real patient on day one and most of them stay.",
        "constraints": "No dark patterns in the trial; cancelling is always one click.",
        "freedoms": "The team decides onboarding emails, in-app guides and trial length.",
        "krs": [
            kr("Raise trial-to-paid conversion from 14% to 22%", "increase", 14, 22, "%", f"lucas.silva{L}"),
            kr(
                "Cut time to first real booking from 5 days to 1 day",
                "decrease",
                5,
                1,
                "days",
                f"elif.yilmaz{L}",
            ),
        ],
    },
    {
        "key": "sales-first-25",
        "team": "Sales",
        "owner": f"tom.becker{L}",
        "parent": "S2",
        "profile": "off_track",
        "title": "Win our first 25 mid-size clinics",
        "purpose": "Twenty-five reference customers make the mid-size market believe we are a safe choice.",
        "end_state": "25 signed mid-size clinics, each willing to take a reference call.",
        "constraints": "Discounts stay within the pricing policy; no promises of features not on the "
        "roadmap.",
        "freedoms": "Account executives choose whom to pursue and how to run each deal.",
        "krs": [
            kr("Sign mid-size clinics from 0 to 25", "increase", 0, 25, "clinics", f"grace.kim{L}", weight=2),
            kr(
                "Shorten the average sales cycle from 74 to 45 days",
                "decrease",
                74,
                45,
                "days",
                f"noah.williams{L}",
            ),
            kr(
                "Keep the average discount between 0% and 15%",
                "range",
                22,
                0,
                "%",
                f"tom.becker{L}",
                target_max=15,
            ),
        ],
    },
    {
        "key": "sales-playbook",
        "team": "Sales",
        "owner": f"grace.kim{L}",
        "parent": "S2",
        "profile": "stale",
        "title": "A sales playbook anyone on the team can run",
        "purpose": "Deals today depend on who runs them; a shared playbook makes wins repeatable.",
        "end_state": "Every account executive runs the same discovery, demo and pilot steps, and new hires "
        "close their first deal within a quarter.",
        "constraints": "The playbook stays short enough to read in an hour.",
        "freedoms": "The team writes it in its own words and changes it as it learns.",
        "krs": [
            kr(
                "Publish the mid-size playbook and train every account executive",
                "milestone",
                owner=f"grace.kim{L}",
            ),
            kr("Grow pipeline coverage from 1.5x to 3x", "increase", 1.5, 3, "x", f"fatima.zahra{L}"),
        ],
    },
    {
        "key": "cs-go-live",
        "team": "Customer Success",
        "owner": f"ben.carter{L}",
        "parent": "S3",
        "profile": "on_track",
        "title": "New clinics go live in under two weeks",
        "purpose": "The first two weeks decide whether a clinic believes in the switch.",
        "end_state": "Every new clinic is live within 14 days and rates its onboarding highly.",
        "constraints": "Never go live before the clinic has tested its reminders end to end.",
        "freedoms": "The team decides the onboarding plan per clinic, including when to visit on site.",
        "krs": [
            kr(
                "Cut median time to go live from 31 to 14 days",
                "decrease",
                31,
                14,
                "days",
                f"victor.dubois{L}",
            ),
            kr(
                "Raise onboarding satisfaction from 7.8 to 9.0", "increase", 7.8, 9.0, "/10", f"ben.carter{L}"
            ),
            kr("Self-serve data import live for every new clinic", "milestone", owner=f"victor.dubois{L}"),
        ],
    },
    {
        "key": "cs-retention",
        "team": "Customer Success",
        "owner": f"amara.nwosu{L}",
        "parent": "S1",
        "profile": "at_risk",
        "title": "Fewer clinics leave us",
        "purpose": "Every clinic that leaves tells ten others; keeping a clinic costs a fraction of "
        "winning one.",
        "end_state": "Clinics that struggle are spotted and helped before they think of leaving.",
        "constraints": "No retention discounts without the VP's agreement.",
        "freedoms": "Customer Success decides whom to call, when and what to offer within policy.",
        "krs": [
            kr("Cut monthly clinic churn from 2.4% to 1.2%", "decrease", 2.4, 1.2, "%", f"amara.nwosu{L}"),
            kr(
                "Keep first response time to support between 5 and 30 minutes",
                "range",
                95,
                5,
                "min",
                f"isabel.rossi{L}",
                target_max=30,
            ),
        ],
    },
    {
        "key": "people-hiring",
        "team": "People",
        "owner": f"lena.fischer{L}",
        "parent": "S4",
        "supports": ["S2"],
        "profile": "off_track",
        "title": "Hire the people the mid-size push needs",
        "purpose": "The mid-size plan needs eight more people in Sales, Customer Success and Platform "
        "before the summer.",
        "end_state": "Every planned role is filled by someone the team is glad to work with.",
        "constraints": "Every candidate meets at least two future teammates.",
        "freedoms": "Hiring managers decide the interview steps for their roles.",
        "krs": [
            kr("Hire 8 people for the mid-size plan", "increase", 0, 8, "hires", f"aisha.bello{L}"),
            kr("Cut time to hire from 62 to 40 days", "decrease", 62, 40, "days", f"aisha.bello{L}"),
            kr(
                "Keep offer acceptance between 80% and 100%",
                "range",
                65,
                80,
                "%",
                f"lena.fischer{L}",
                target_max=100,
            ),
        ],
    },
    {
        "key": "people-intent",
        "team": "People",
        "owner": f"aisha.bello{L}",
        "parent": "S4",
        "profile": "on_track",
        "title": "Everyone knows how their work serves the mission",
        "purpose": "People who see the why decide well on their own; people who do not, wait for "
        "instructions.",
        "end_state": "Every team writes its goals with intent, and people can name the strategic goal their "
        "work serves.",
        "constraints": "No mandatory trainings longer than an hour.",
        "freedoms": "Teams run their goal-setting sessions their own way.",
        "krs": [
            kr("Raise employee NPS from 12 to 30", "increase", 12, 30, "", f"aisha.bello{L}"),
            kr(
                "Every team has written goals with intent for the cycle",
                "milestone",
                owner=f"lena.fischer{L}",
            ),
        ],
    },
]

PREVIOUS_GOALS = [
    {
        "key": "prev-paying",
        "team": "Leadership",
        "owner": "demo@charter.local",
        "profile": "done",
        "title": "Prove that independent clinics pay for online booking",
        "purpose": "Before we invest in the mid-size market we need proof that clinics pay, not just "
        "like it.",
        "end_state": "A base of paying clinics and a price that holds.",
        "constraints": "No free tier.",
        "freedoms": "Teams choose pricing experiments within the agreed range.",
        "krs": [kr("Grow paying clinics from 180 to 300", "increase", 180, 300, "clinics", f"tom.becker{L}")],
    },
    {
        "key": "prev-reminders",
        "team": "Product",
        "owner": f"sofia.alvarez{L}",
        "parent": "prev-paying",
        "profile": "done",
        "title": "Patients stop missing appointments",
        "purpose": "No-shows cost clinics money and patients their slot; reminders were the most requested "
        "feature.",
        "end_state": "Reminders by text and email cut no-shows sharply.",
        "constraints": "Patients can always opt out.",
        "freedoms": "Product decides channels and timing.",
        "krs": [
            kr("Cut the no-show rate from 11% to 6%", "decrease", 11, 6, "%", f"omar.haddad{L}"),
            kr("Launch text reminders", "milestone", owner=f"chloe.martin{L}"),
        ],
    },
    {
        "key": "prev-germany",
        "team": "Sales",
        "owner": f"tom.becker{L}",
        "parent": "prev-paying",
        "profile": "missed",
        "title": "First clinics in Germany",
        "purpose": "Germany has the most independent clinics in our region.",
        "end_state": "Twenty German clinics live and paying.",
        "constraints": "Only after the German data processing terms are signed.",
        "freedoms": "Sales chooses the first cities.",
        "krs": [kr("Sign German clinics from 0 to 20", "increase", 0, 20, "clinics", f"noah.williams{L}")],
    },
]

NOTES = {
    "on_track": [
        "Moving as planned; nothing blocking.",
        "Good week: the last change landed and the numbers followed.",
        "Ahead of the curve; keeping an eye on the summer dip.",
        "Steady. The team knows what comes next.",
    ],
    "at_risk": [
        "Slower than hoped; the pilot clinics took longer to adopt the change.",
        "We found a blocker in the data; working around it, but it costs two weeks.",
        "Progress is real but behind the line; we might need to cut scope.",
        "Waiting on a decision about budget; asked for it this week.",
    ],
    "off_track": [
        "Behind: two deals slipped to next quarter.",
        "This will not happen at the current pace; proposing a change of plan at the review.",
        "Lost a key person; re-planning.",
        "Numbers went the wrong way this week; digging into why.",
    ],
    "stale": ["Started well; more next week.", "On it.", "Small step forward."],
    "done": ["Done and holding.", "Target reached; now making it stick."],
    "missed": ["Legal review delayed the start; we will carry this over.", "Slipping; two pilots stalled."],
}
