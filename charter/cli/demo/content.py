"""The demo organization's words: mission, people, teams, goals with intent and key results."""

ORGANIZATION = "Lumen Health"
OWNER_EMAIL = "demo@charter.local"
OWNER_PASSWORD = "charter-demo-2026"

MISSION = {
    "statement": (
        "Give every independent clinic its time back for patients: scheduling, reminders and paperwork "
        "that run themselves, so clinicians spend their day on care."
    ),
    "vision": (
        "By 2030, no patient of an independent clinic waits more than a day for an appointment, and no "
        "clinician spends their evening on admin."
    ),
    "values": [
        {
            "name": "Patients first",
            "meaning": "When in doubt we choose what makes a patient's day better, even when it costs "
            "us a sprint.",
        },
        {
            "name": "Own the outcome",
            "meaning": "We commit to results, not tasks. Whoever owns a key result decides how to reach it "
            "and says early when it slips.",
        },
        {
            "name": "Write it down",
            "meaning": "Intent, decisions and context live in writing, so anyone can act without waiting "
            "for a meeting.",
        },
        {
            "name": "Small bets, fast learning",
            "meaning": "We ship the smallest thing that teaches us something, and measure before we scale.",
        },
    ],
}

# name, parent, description
TEAMS = [
    ("Leadership", None, "Sets the mission, the strategic goals and how much each team decides alone."),
    ("Product", "Leadership", "Decides what we build and why; owns the experience of front-desk staff."),
    ("Platform", "Product", "Keeps scheduling fast, reliable and connected to the clinics' other tools."),
    ("Growth", "Product", "Brings clinics to a trial and turns trials into paying customers."),
    ("Sales", "Leadership", "Wins mid-size clinics and groups that need a conversation before they buy."),
    ("Customer Success", "Leadership", "Gets new clinics live quickly and keeps them with us."),
    ("People", "Leadership", "Hires, grows and keeps the people who do the work."),
]

# full name, email, role, title, [(team, is_lead)]
PEOPLE = [
    ("Maya Chen", OWNER_EMAIL, "owner", "CEO", [("Leadership", True)]),
    ("Daniel Okafor", "daniel.okafor@charter.local", "admin", "COO", [("Leadership", False)]),
    ("Peter Walsh", "peter.walsh@charter.local", "admin", "Finance and IT", []),
    (
        "Sofia Alvarez",
        "sofia.alvarez@charter.local",
        "leader",
        "Chief Product Officer",
        [("Leadership", False), ("Product", True)],
    ),
    (
        "Tom Becker",
        "tom.becker@charter.local",
        "leader",
        "VP Sales",
        [("Leadership", False), ("Sales", True)],
    ),
    (
        "Amara Nwosu",
        "amara.nwosu@charter.local",
        "leader",
        "VP Customer Success",
        [("Leadership", False), ("Customer Success", True)],
    ),
    (
        "Lena Fischer",
        "lena.fischer@charter.local",
        "leader",
        "Head of People",
        [("Leadership", False), ("People", True)],
    ),
    ("Raj Patel", "raj.patel@charter.local", "leader", "Engineering Manager", [("Platform", True)]),
    ("Julia Novak", "julia.novak@charter.local", "leader", "Head of Growth", [("Growth", True)]),
    ("Marcus Lee", "marcus.lee@charter.local", "member", "Staff Engineer", [("Platform", False)]),
    ("Hannah Schmidt", "hannah.schmidt@charter.local", "member", "Backend Engineer", [("Platform", False)]),
    ("Kenji Sato", "kenji.sato@charter.local", "member", "Site Reliability Engineer", [("Platform", False)]),
    ("Chloe Martin", "chloe.martin@charter.local", "member", "Product Designer", [("Product", False)]),
    ("Omar Haddad", "omar.haddad@charter.local", "member", "Product Manager", [("Product", False)]),
    ("Elif Yilmaz", "elif.yilmaz@charter.local", "member", "Growth Marketer", [("Growth", False)]),
    ("Lucas Silva", "lucas.silva@charter.local", "member", "Data Analyst", [("Growth", False)]),
    ("Grace Kim", "grace.kim@charter.local", "member", "Account Executive", [("Sales", False)]),
    ("Noah Williams", "noah.williams@charter.local", "member", "Account Executive", [("Sales", False)]),
    ("Fatima Zahra", "fatima.zahra@charter.local", "member", "Sales Development Rep", [("Sales", False)]),
    (
        "Ben Carter",
        "ben.carter@charter.local",
        "member",
        "Customer Success Manager",
        [("Customer Success", False)],
    ),
    (
        "Isabel Rossi",
        "isabel.rossi@charter.local",
        "member",
        "Support Specialist",
        [("Customer Success", False)],
    ),
    (
        "Victor Dubois",
        "victor.dubois@charter.local",
        "member",
        "Onboarding Specialist",
        [("Customer Success", False)],
    ),
    ("Aisha Bello", "aisha.bello@charter.local", "member", "People Partner", [("People", False)]),
    ("Eva Lindqvist", "eva.lindqvist@charter.local", "viewer", "Board observer", []),
]


def kr(title, kind, start=None, target=None, unit="", owner=None, target_max=None, weight=1.0, due=False):
    """A key result's spec; `due`: its owner skipped last week's check-in (it waits on the check-in page)."""
    return {
        "due": due,
        "title": title,
        "kind": kind,
        "start": start,
        "target": target,
        "target_max": target_max,
        "unit": unit,
        "owner": owner,
        "weight": weight,
    }


# Strategic goals of the current cycle, owned by Leadership. `profile` shapes their check-ins.
STRATEGIC = [
    {
        "key": "S1",
        "owner": "sofia.alvarez@charter.local",
        "profile": "on_track",
        "title": "Clinics run their whole day in Lumen",
        "purpose": "A clinic that schedules, reminds and bills in one place gets hours back every week, and "
        "it stays with us because leaving would mean going back to paper and phone tag.",
        "end_state": "Front desks open Lumen first thing and close it last; booking, reminders and the link "
        "to the clinic's records all happen there, without workarounds.",
        "constraints": "No change that makes booking slower for existing clinics. Patient data never leaves "
        "the EU.",
        "freedoms": "Teams choose which workflows to improve first and how; they may drop features nobody "
        "uses.",
        "krs": [
            kr(
                "Raise net revenue retention from 98% to 110%",
                "increase",
                98,
                110,
                "%",
                "sofia.alvarez@charter.local",
            ),
            # The demo login's own: due for this week's check-in, so her check-in page has its ritual.
            kr(
                "Grow clinics using Lumen daily from 60% to 85%",
                "increase",
                60,
                85,
                "%",
                OWNER_EMAIL,
                due=True,
            ),
        ],
    },
    {
        "key": "S2",
        "owner": "tom.becker@charter.local",
        "profile": "at_risk",
        "title": "Become the obvious choice for mid-size clinics",
        "purpose": "Clinics with 10 to 50 staff feel the scheduling pain most and can pay for a fix; winning "
        "them makes us profitable without outside money.",
        "end_state": "Mid-size clinics find us, try us and buy from us on a predictable path; references "
        "from one win the next.",
        "constraints": "No custom builds for single customers. Discounts stay within the pricing policy.",
        "freedoms": "Sales and Growth decide channels, campaigns and the shape of the trial.",
        "krs": [
            kr(
                "Grow mid-size annual recurring revenue from 0.4 to 1.5 million EUR",
                "increase",
                0.4,
                1.5,
                "M EUR",
                "tom.becker@charter.local",
            )
        ],
    },
    {
        "key": "S3",
        "owner": "amara.nwosu@charter.local",
        "profile": "on_track",
        "title": "Every new clinic is live and happy within two weeks",
        "purpose": "A clinic that is live quickly sees the value before doubt sets in; slow onboarding is "
        "where most of our churn starts.",
        "end_state": "A new clinic books its first real patient in Lumen within two weeks of signing, and "
        "says the switch was easier than expected.",
        "constraints": "Never migrate patient data without the clinic's written go-ahead.",
        "freedoms": "Customer Success decides the onboarding steps, what to automate and when to step in "
        "personally.",
        "krs": [
            kr(
                "Raise the share of clinics live within 14 days from 35% to 80%",
                "increase",
                35,
                80,
                "%",
                "amara.nwosu@charter.local",
            ),
            kr(
                "Hold clinic satisfaction after go-live at 8.5 or above",
                "range",
                7.2,
                8.5,
                "/10",
                OWNER_EMAIL,
                target_max=10,
                due=True,
            ),
        ],
    },
    {
        "key": "S4",
        "owner": "lena.fischer@charter.local",
        "profile": None,
        "title": "A team that does the best work of their careers",
        "purpose": "Everything above depends on people who understand the mission and are trusted to act "
        "on it.",
        "end_state": "We hire the people the plan needs, they stay, and each of them can say how their "
        "work serves the mission.",
        "constraints": "No hiring that lowers the bar to fill a seat faster.",
        "freedoms": "Teams shape their own rituals, tools and ways of working.",
        "krs": [],
    },
]
