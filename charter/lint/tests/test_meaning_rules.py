"""Alignment checked by meaning (issue 18, item 3): CH201 may not serve its parent, CH202 may duplicate,
CH203 may belong under. Precision and recall of the rules at their default thresholds on the labelled set
`alignment_set.yaml` (printed, run with -s to read them), and the rules on an indexed organization."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from charter.goals.services import goal_update
from charter.goals.tests.factories import make_goal
from charter.lint import registry, selectors
from charter.lint.services import lint_settings_update
from charter.mission.services import mission_update
from charter.organizations.tests.factories import make_team
from charter.search import embedder
from charter.search.selectors import embed_texts

SET = yaml.safe_load((Path(__file__).parent / "alignment_set.yaml").read_text())
CONTEXT = registry.Context(now=datetime(2026, 1, 5, tzinfo=UTC))
# Floors the rules must keep on the labelled set (measured: see the printed report).
FLOORS = {"CH201": (0.95, 0.75), "CH202": (0.95, 0.85), "CH203": (0.75, 0.6)}

needs_model = pytest.mark.skipif(embedder.identity() is None, reason="no embedding model installed")


def _text(goal: dict) -> str:
    return f"{goal['title']}. {goal['purpose']}"


@pytest.fixture(scope="module")
def vectors() -> dict:
    texts = sorted(
        {_text(p[k]) for kind in ("aligned", "misaligned") for p in SET[kind] for k in ("parent", "child")}
        | {_text(p[k]) for p in SET["duplicates"] for k in ("a", "b")}
        | set(SET["missions"].values())
    )
    found = embed_texts(texts)
    return dict(zip(texts, found, strict=True))


def _goal(id_, goal: dict, **kwargs) -> registry.GoalData:
    return registry.GoalData(id=id_, title=goal["title"], **kwargs)


def _run(code, goals, vectors, texts, mission=None, team_parents=None, threshold=None):
    meaning = registry.MeaningData(
        vectors={g.id: vectors[texts[g.id]] for g in goals},
        mission=vectors[mission] if mission else None,
        team_parents=team_parents or {},
    )
    r = registry.RULES[code]
    context = CONTEXT
    if threshold is not None:
        (name,) = r.thresholds
        context = registry.Context(now=CONTEXT.now, thresholds={code: {name: threshold}})
    return r.check(r, registry.OrgData(meaning=meaning), context, goals)


def _not_serving(vectors, threshold=None) -> tuple[int, int, int, int]:
    """CH201 on every aligned and misaligned pair: (true positives, flagged, positives, negatives)."""
    tp = flagged = 0
    for kind in ("aligned", "misaligned"):
        for pair in SET[kind]:
            parent = _goal("p", pair["parent"])
            child = _goal("c", pair["child"], team_id=1, level="team", has_parent=True, parent_id="p")
            texts = {"p": _text(pair["parent"]), "c": _text(pair["child"])}
            mission = SET["missions"][pair["mission"]]
            found = _run("CH201", [parent, child], vectors, texts, mission, threshold=threshold)
            assert all(f.goal_id == "c" for f in found)
            flagged += bool(found)
            tp += bool(found) and kind == "misaligned"
    return tp, flagged, len(SET["misaligned"]), len(SET["aligned"])


def _duplicating(vectors, threshold=None) -> tuple[int, int, int, int]:
    """CH202. Positives: the duplicate pairs. Negatives: the aligned and misaligned pairs (related is not
    the same) and every two goals of different duplicate pairs; each pair put in two teams, no link."""
    dups = SET["duplicates"]
    cases = [(p["a"], p["b"], True) for p in dups]
    cases += [(p["parent"], p["child"], False) for kind in ("aligned", "misaligned") for p in SET[kind]]
    cases += [(a["a"], b["b"], False) for a in dups for b in dups if a is not b]
    tp = flagged = 0
    for a, b, duplicate in cases:
        goals = [_goal("a", a, team_id=1, team="Red"), _goal("b", b, team_id=2, team="Blue")]
        found = _run("CH202", goals, vectors, {"a": _text(a), "b": _text(b)}, threshold=threshold)
        assert len(found) in (0, 2)  # both goals name each other
        flagged += bool(found)
        tp += bool(found) and duplicate
    return tp, flagged, len(dups), len(cases) - len(dups)


def _belonging(vectors, threshold=None) -> tuple[int, int, int, int]:
    """CH203. Each child, alone without a parent, among every parent goal of its organization: right when
    it names its own parent (aligned pairs); a misaligned child should get no suggestion."""
    tp = flagged = 0
    for kind in ("aligned", "misaligned"):
        for pair in SET[kind]:
            parents = {
                _text(p["parent"]): p["parent"]
                for k in ("aligned", "misaligned")
                for p in SET[k]
                if p["mission"] == pair["mission"]
            }
            goals = [_goal(text, goal) for text, goal in parents.items()]
            child = _goal("child", pair["child"], team_id=2, level="team")
            texts = {**{text: text for text in parents}, "child": _text(pair["child"])}
            found = _run("CH203", [*goals, child], vectors, texts, team_parents={2: 1}, threshold=threshold)
            if found:
                flagged += 1
                tp += kind == "aligned" and pair["parent"]["title"] in found[0].message
    return tp, flagged, len(SET["aligned"]), len(SET["misaligned"])


EVALUATE = {"CH201": _not_serving, "CH202": _duplicating, "CH203": _belonging}


def _f_half(tp: int, flagged: int, positives: int) -> float:
    """F0.5: precision weighed above recall (a false alarm costs a leader's trust in the rules)."""
    precision, recall = (tp / flagged if flagged else 0.0), tp / positives
    return 1.25 * precision * recall / (0.25 * precision + recall) if precision + recall else 0.0


@needs_model
@pytest.mark.parametrize("code", list(EVALUATE))
def test_precision_and_recall_on_the_labelled_set(code, vectors):
    """The rule at its default threshold keeps its floors, and that threshold is the best (F0.5) of a
    grid of 0.01 steps on the set: the default was chosen on it. Printed for the record."""
    tp, flagged, positives, negatives = EVALUATE[code](vectors)
    precision, recall = (tp / flagged if flagged else 1.0), tp / positives
    rule = registry.RULES[code]
    (name, default) = next(iter(rule.thresholds.items()))
    grid = [round(0.05 + 0.01 * k, 2) for k in range(86)]
    best = max(grid, key=lambda t: (_f_half(*EVALUATE[code](vectors, t)[:3]), -abs(t - default)))
    print(
        f"\n{code} {rule.name}, {name} {default}: precision {precision:.2f} ({tp} of {flagged} flagged), "
        f"recall {recall:.2f} ({tp} of {positives}), {negatives} negatives; best F0.5 on the set at {best}"
    )
    floor_precision, floor_recall = FLOORS[code]
    assert precision >= floor_precision and recall >= floor_recall
    assert _f_half(tp, flagged, positives) >= _f_half(*EVALUATE[code](vectors, best)[:3]) - 1e-9


def test_the_labelled_set_is_big_enough():
    assert min(len(SET["aligned"]), len(SET["misaligned"]), len(SET["duplicates"])) >= 20


# ---- on an organization, through the search index ---------------------------------------------------


@needs_model
def test_meaning_rules_on_an_indexed_cycle(owner, cycle, django_capture_on_commit_callbacks):
    product = make_team(owner, "Product")
    booking = make_team(owner, "Booking", parent=product)
    billing = make_team(owner, "Billing", parent=product)
    with django_capture_on_commit_callbacks(execute=True):
        mission_update(
            actor=owner,
            statement="Give every clinic its time back for patients.",
            vision="",
            values=[],
            reason="First",
        )
        top = make_goal(
            owner, cycle, "Clinics finish their day on time",
            purpose="Staff leave late because the software slows them down.", end_state="",
        )  # fmt: skip
        make_goal(
            owner, cycle, "Sponsor the city marathon", team_id=booking.pk, parent_id=top.pk,
            purpose="Our logo on the runners' shirts makes the brand known in town.", end_state="",
        )  # fmt: skip
        fast = make_goal(
            owner, cycle, "Cut the time to book an appointment by half", team_id=booking.pk,
            purpose="Receptionists spend minutes on every booking screen.", end_state="",
        )  # fmt: skip
        same = make_goal(
            owner, cycle, "Booking an appointment takes half as long", team_id=billing.pk,
            purpose="The booking screens make front-desk staff wait too long.", end_state="",
        )  # fmt: skip
    findings = selectors.cycle_findings(actor=owner, cycle_id=cycle.pk)["findings"]
    by_code = {}
    for f in findings:
        by_code.setdefault(f.code, []).append(f)
    assert [f.goal_title for f in by_code["CH201"]] == ["Sponsor the city marathon"]
    assert "Clinics finish their day on time" in by_code["CH201"][0].message
    assert {f.goal_id for f in by_code["CH202"]} == {fast.pk, same.pk}
    assert {f.goal_id for f in by_code["CH203"]} >= {fast.pk, same.pk}  # both fit the goal above
    assert "Clinics finish their day on time" in by_code["CH203"][0].message

    # Linked, they no longer duplicate each other; aligned, they no longer ask for a parent.
    with django_capture_on_commit_callbacks(execute=True):
        goal_update(actor=owner, goal_id=same.pk, supports_ids=[fast.pk], parent_id=top.pk)
        goal_update(actor=owner, goal_id=fast.pk, parent_id=top.pk)
    codes = [f.code for f in selectors.cycle_findings(actor=owner, cycle_id=cycle.pk)["findings"]]
    assert "CH202" not in codes and "CH203" not in codes and codes.count("CH201") == 1

    # A threshold of the organization's own changes what is found; rules switched off read no vectors.
    lint_settings_update(actor=owner, disabled=[], thresholds={"CH201": {"max_similarity": 0.0}})
    codes = [f.code for f in selectors.cycle_findings(actor=owner, cycle_id=cycle.pk)["findings"]]
    assert "CH201" not in codes
    lint_settings_update(actor=owner, disabled=["CH201", "CH202", "CH203"])
    assert selectors.org_data(actor=owner, cycle=cycle, meaning=False).meaning is None
    codes = [f.code for f in selectors.cycle_findings(actor=owner, cycle_id=cycle.pk)["findings"]]
    assert not [c for c in codes if c.startswith("CH2")]


def test_no_model_no_meaning_findings(owner, cycle, django_capture_on_commit_callbacks):
    with embedder.use(None), django_capture_on_commit_callbacks(execute=True):
        team = make_team(owner, "Booking", parent=make_team(owner, "Product"))
        make_goal(owner, cycle, "Cut booking time by half", team_id=team.pk)
        findings = selectors.cycle_findings(actor=owner, cycle_id=cycle.pk)["findings"]
    assert not [f for f in findings if f.code.startswith("CH2")]
    assert {"CH201", "CH202", "CH203"} <= set(registry.RULES)
