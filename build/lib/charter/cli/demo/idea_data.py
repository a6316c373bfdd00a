"""The demo's ideas (with votes, moves and discussion) and comments on goals and decisions.

`{maya}`-style tokens in comments become mentions of that person (by first name, lower case).
"""

L = "@charter.local"
MAYA, SOFIA = "demo@charter.local", f"sofia.alvarez{L}"

# Each idea: author, days ago, goals (keys), voters (emails), moves (status, who, reason, days ago; an
# adopted move names its goal or key result), comments (who, text, days ago).
IDEAS = [
    {
        "title": "Reminders in the patient's own language",
        "description": "A third of no-shows in city clinics are patients who do not read German or "
        "English well. Send the reminder in the language the patient chose at booking.",
        "author": f"isabel.rossi{L}",
        "days": 58,
        "goals": ["cs-retention"],
        "voters": [f"ben.carter{L}", f"omar.haddad{L}", f"amara.nwosu{L}", MAYA, f"victor.dubois{L}"],
        "moves": [
            ("exploring", SOFIA, "Worth a look: Omar checks what it takes.", 50),
            ("adopted", SOFIA, "Clinics asked for it in every churn call.", 40, {"goal": "cs-retention"}),
        ],
        "comments": [
            (
                f"omar.haddad{L}",
                "Twelve languages cover 95% of patients. {chloe}, can the template hold right-to-left text?",
                52,
            ),
            (f"chloe.martin{L}", "Yes, with one change to the layout. I'll prepare it.", 51),
        ],
    },
    {
        "title": "Self-serve import of the patient list from a spreadsheet",
        "description": "Most new clinics send us an Excel file. Let them upload it themselves, with a "
        "preview of what goes where.",
        "author": f"victor.dubois{L}",
        "days": 66,
        "goals": ["cs-go-live"],
        "voters": [f"ben.carter{L}", f"isabel.rossi{L}", f"amara.nwosu{L}", f"julia.novak{L}"],
        "moves": [
            (
                "adopted",
                f"amara.nwosu{L}",
                "It is the slowest step of going live.",
                60,
                {"kr": "Self-serve data import live for every new clinic"},
            ),
        ],
        "comments": [],
    },
    {
        "title": "A waiting list that fills freed slots automatically",
        "description": "When a patient cancels, offer the slot to the next patient on the waiting list "
        "by text, first to answer gets it.",
        "author": f"chloe.martin{L}",
        "days": 24,
        "goals": ["product-front-desk"],
        "voters": [f"omar.haddad{L}", f"isabel.rossi{L}", f"ben.carter{L}", SOFIA, f"lucas.silva{L}"],
        "moves": [("exploring", SOFIA, "Omar is sizing it against the billing export.", 12)],
        "comments": [
            (SOFIA, "Front desks tell us this in every interview. {omar}, can you size it?", 13),
            (f"omar.haddad{L}", "About three sprints. See the **roadmap decision** for the order.", 9),
        ],
    },
    {
        "title": "Referral credit: one free month for each clinic that brings another",
        "description": "Clinics talk to each other. Give both clinics a free month when a referral signs.",
        "author": f"elif.yilmaz{L}",
        "days": 30,
        "goals": ["growth-trials"],
        "voters": [f"julia.novak{L}", f"grace.kim{L}", f"tom.becker{L}"],
        "moves": [("exploring", f"julia.novak{L}", "We test it with ten happy clinics first.", 21)],
        "comments": [
            (
                f"tom.becker{L}",
                "Careful with groups: {grace} has two deals where this would stack with the group discount.",
                20,
            ),
        ],
    },
    {
        "title": "Status page for clinics during incidents",
        "description": "Clinics call support when booking is slow. A public status page would tell them "
        "before they pick up the phone.",
        "author": f"kenji.sato{L}",
        "days": 5,
        "goals": ["platform-fast"],
        "voters": [f"isabel.rossi{L}", f"marcus.lee{L}"],
        "moves": [],
        "comments": [],
    },
    {
        "title": "Online payment of the co-pay at booking",
        "description": "Patients pay the co-pay when they book; clinics stop chasing small invoices.",
        "author": f"lucas.silva{L}",
        "days": 3,
        "goals": [],
        "voters": [f"elif.yilmaz{L}"],
        "moves": [],
        "comments": [],
    },
    {
        "title": "Monthly clinic manager round table",
        "description": "An hour a month where clinic managers share how they run their day with Lumen.",
        "author": f"ben.carter{L}",
        "days": 2,
        "goals": ["cs-retention"],
        "voters": [],
        "moves": [],
        "comments": [],
    },
    {
        "title": "A mobile app for clinicians",
        "description": "Clinicians want to see their day on the phone between patients.",
        "author": f"hannah.schmidt{L}",
        "days": 55,
        "goals": [],
        "voters": [f"marcus.lee{L}", f"chloe.martin{L}"],
        "moves": [("parked", SOFIA, "Good idea, wrong cycle: front desks first. Back next cycle.", 45)],
        "comments": [],
    },
    {
        "title": "Expand to Austria next quarter",
        "description": "Austrian clinics work much like German ones; we could reuse the German contracts.",
        "author": f"noah.williams{L}",
        "days": 48,
        "goals": [],
        "voters": [f"fatima.zahra{L}"],
        "moves": [
            ("exploring", f"tom.becker{L}", "Noah asks two Austrian clinics.", 44),
            ("parked", MAYA, "Not before Germany works; the last cycle missed its goal there.", 38),
        ],
        "comments": [
            (MAYA, "Let's first understand why Germany fell short. {tom}, can you write it up?", 38),
        ],
    },
    {
        "title": "Cold-call every dentist in the country",
        "description": "Dentists book appointments too; a call campaign would fill the pipeline fast.",
        "author": f"fatima.zahra{L}",
        "days": 40,
        "goals": ["sales-first-25"],
        "voters": [],
        "moves": [
            (
                "rejected",
                f"tom.becker{L}",
                "Dentists are not our customers this year; it dilutes the mid-size focus.",
                37,
            )
        ],
        "comments": [],
    },
    {
        "title": "Weekly all-hands on Monday mornings",
        "description": "Everyone hears the week's priorities together.",
        "author": f"aisha.bello{L}",
        "days": 34,
        "goals": ["people-intent"],
        "voters": [f"lena.fischer{L}"],
        "moves": [
            (
                "rejected",
                f"lena.fischer{L}",
                "Mondays are our clinics' busiest mornings; a written update does the job.",
                30,
            )
        ],
        "comments": [],
    },
]

# Comments on goals and decisions: (target type, goal or decision key, who, text, days ago).
COMMENTS = [
    (
        "goal",
        "S2",
        MAYA,
        "The Germany lesson applies here: **references sell**, cold leads do not. "
        "{tom}, which two groups can we ask for a reference this month?",
        16,
    ),
    (
        "goal",
        "S2",
        f"tom.becker{L}",
        "{maya}, Praxis am Park and the Nordlicht group. I'll ask both this week, "
        "could you call their owners too?",
        15,
    ),
    (
        "goal",
        "sales-first-25",
        f"grace.kim{L}",
        "Four deals wait on the group discount decision. {tom}, could you decide it this week?",
        6,
    ),
    (
        "goal",
        "platform-integrations",
        f"raj.patel{L}",
        "No check-in for three weeks: the contractor "
        "starts Monday, and {marcus} will post the first numbers on Friday.",
        10,
    ),
    (
        "goal",
        "S1",
        SOFIA,
        "{maya}, front-desk NPS is the number to watch. Latency is fine now:\n\n"
        "- p95 at 190 ms\n- two incidents this cycle",
        8,
    ),
    (
        "decision",
        "refund-group",
        MAYA,
        "Looking at it today. {amara}, did other groups have the same import failure?",
        1,
    ),
    (
        "decision",
        "sync-pause",
        f"raj.patel{L}",
        "Thanks {ben}. The fix is in review; I'll decide tomorrow morning.",
        0,
    ),
    ("decision", "trial", SOFIA, "I like it. {lucas}, can you show conversion by clinic size first?", 2),
]
