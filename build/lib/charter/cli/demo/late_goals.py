"""A team goal given days ago and aligned to nothing: `charter lint` finds it; its back-brief is asked."""

L = "@charter.local"

LATE_GOALS = [
    {
        "key": "growth-podcast",
        "team": "Growth",
        "owner": f"elif.yilmaz{L}",
        "profile": "on_track",
        "title": "Launch a podcast for clinic managers",
        "purpose": "Clinic managers listen on their commute; a podcast could make Lumen a name they know.",
        "end_state": "Six episodes out, with clinic managers telling us they listen.",
        "constraints": "No patient stories without written consent.",
        "freedoms": "Growth picks the guests, the format and the host.",
        "krs": [
            {
                "title": "Publish 6 episodes",
                "kind": "increase",
                "start": 0,
                "target": 6,
                "target_max": None,
                "unit": "episodes",
                "owner": f"elif.yilmaz{L}",
                "weight": 1.0,
            }
        ],
    },
]
