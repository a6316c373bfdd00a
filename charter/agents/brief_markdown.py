"""The mission brief as Markdown fit for a language model's context: short (intent, key results,
authority) or full (also the mission's values, check-ins, decisions, ideas, lint and the back-brief).

With `ids` (the default) goals, key results, decisions and ideas carry their ids ("Goal 14:", "[KR 23]"),
which an agent passes back to the API; the web page for people renders the brief without them."""

from . import schemas as s


def _pct(value: float) -> str:
    return f"{round(value * 100)}%"


def _status(code: str) -> str:
    """A goal's or key result's status in words ("none": no check-in yet)."""
    return "no status yet" if code == "none" else code.replace("_", " ")


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}"


def _tag(kind: str, id_: int, ids: bool) -> str:
    """ "[KR 23] " before a title for an agent, nothing for a person."""
    return f"[{kind} {id_}] " if ids else ""


def _mission(m: s.BriefMission, full: bool) -> list[str]:
    lines = ["## Mission", "", m.statement or "_No mission written yet._", ""]
    if m.vision:
        lines += [f"**Vision:** {m.vision}", ""]
    if full and m.values:
        lines += ["**Values:**", *[f"- **{v.name}**: {v.meaning}" for v in m.values], ""]
    return lines


def _chain(
    chain: list[s.BriefIntent], heading: str = "## Chain of intent (this goal first, up to the mission)"
):
    lines = [heading, ""]
    for depth, link in enumerate(chain):
        team = f" ({link.team})" if link.team else ""
        lines.append(f"{depth + 1}. **{link.title}**{team}")
        for label, text in (
            ("Purpose", link.purpose),
            ("End state", link.end_state),
            ("Constraints", link.constraints),
            ("Freedoms", link.freedoms),
        ):
            if text:
                lines.append(f"   - {label}: {text}")
    return [*lines, ""]


def _key_results(krs: list[s.KeyResultBrief], full: bool, ids: bool = True) -> list[str]:
    lines = ["## Key results", ""]
    if not krs:
        lines.append("_No key results yet._")
    for kr in krs:
        target = _num(kr.target) + (f"–{_num(kr.target_max)}" if kr.target_max is not None else "")
        unit = f" {kr.unit}" if kr.unit else ""
        conf = f", confidence {kr.confidence}/10" if kr.confidence is not None else ""
        lines.append(
            f"- {_tag('KR', kr.id, ids)}{kr.title}: {_num(kr.current)}{unit} "
            f"(start {_num(kr.start)}, target {target}) "
            f"— {_pct(kr.progress)}, {_status(kr.status)}{conf}"
        )
        if full:
            for c in kr.check_ins:
                who = f"{c.author} (agent)" if c.author_is_agent else c.author
                note = f": {c.note}" if c.note else ""
                lines.append(
                    f"  - {c.checked_at:%Y-%m-%d} {who} → {_num(c.value)}, confidence {c.confidence}{note}"
                )
    return [*lines, ""]


def _authority(items: list[s.BriefAuthority], cap: int | None, heading: str) -> list[str]:
    lines = [heading, ""]
    if cap is not None:
        lines += [f"You are an agent: you may decide alone only up to delegation level {cap} (0: never).", ""]
    if not items:
        lines.append("_No decision domains are defined._")
    for a in items:
        inherited = f", inherited from {a.inherited_from}" if a.inherited_from else ""
        lines.append(
            f"- **{a.domain}**: level {a.level} ({a.level_name}{inherited}). {a.meaning} → {a.you_in_words}"
        )
    return [*lines, ""]


def _decisions(title: str, rows: list[s.DecisionBrief], ids: bool = True) -> list[str]:
    if not rows:
        return [title, "", "_None._", ""]
    lines = [title, ""]
    for d in rows:
        to = f", addressed to {d.addressed_to}" if d.addressed_to else ""
        lines.append(f"- {_tag('D', d.id, ids)}{d.title} ({d.domain}, level {d.level}): {d.status}{to}")
    return [*lines, ""]


def _extras(b: s.MissionBrief, ids: bool = True) -> list[str]:
    lines = _decisions("## Recent decisions of the team", b.recent_decisions, ids)
    lines += _decisions("## Open proposals", b.open_proposals, ids)
    lines += ["## Linked ideas", ""]
    lines += [f"- {_tag('Idea', i.id, ids)}{i.title} ({i.status}, {i.votes} votes)" for i in b.ideas] or [
        "_None._"
    ]
    lines += ["", "## Lint warnings", ""]
    lines += [f"- {w.severity}: {w.message} ({w.hint})" for w in b.lint] or ["_None._"]
    lines += ["", "## Back-brief", ""]
    if b.back_brief is None:
        lines.append("_No back-brief was asked for this goal._")
    else:
        bb = b.back_brief
        lines.append(f"State: {bb.state.replace('_', ' ')}.")
        labels = ("Intent in the team's words", "Plan", "Concerns", "Needs", "Clarification asked")
        texts = (bb.intent, bb.plan, bb.concerns, bb.needs, bb.clarification)
        for label, text in zip(labels, texts, strict=True):
            if text:
                lines.append(f"- {label}: {text}")
    return [*lines, ""]


def _goal_head(g: s.GoalBrief, level: str = "#", ids: bool = True) -> list[str]:
    team = g.team or "the whole organization"
    return [
        f"{level} Goal {g.id}: {g.title}" if ids else f"{level} {g.title}",
        "",
        f"Team: {team} · accountable: {g.owner} · cycle: {g.cycle} · {_pct(g.progress)}, {_status(g.status)}",
        "",
        *([g.description, ""] if g.description else []),
    ]


def _mission_brief(b: s.MissionBrief, full: bool, ids: bool = True) -> list[str]:
    lines = [
        *_goal_head(b.goal, ids=ids),
        f"Brief for {b.actor.name} ({b.actor.kind}, {b.actor.role}) in {b.organization}.",
        "",
    ]
    lines += _mission(b.mission, full) + _chain(b.intent_chain) + _key_results(b.key_results, full, ids)
    lines += _authority(b.authority, b.agent_decision_cap, "## What your team may decide")
    return lines + (_extras(b, ids) if full else [])


def _my_brief(b: s.MyBrief, full: bool, ids: bool = True) -> list[str]:
    lines = [f"# Brief for {b.actor.name} ({b.actor.kind}) in {b.organization}", ""]
    lines += _mission(b.mission, full)
    lines += [f"Cycle: {b.cycle or 'none'}. Your goals: {len(b.goals)}.", ""]
    for item in b.goals:
        lines += _goal_head(item.goal, "##", ids)
        lines += _chain(item.intent_chain, "### Chain of intent") + _key_results(item.key_results, full, ids)
    for team, items in b.authority.items():
        lines += _authority(items, b.agent_decision_cap, f"## What {team} may decide")
    return lines


def brief_markdown(brief: s.MissionBrief | s.MyBrief, *, full: bool, ids: bool = True) -> str:
    if isinstance(brief, s.MissionBrief):
        lines = _mission_brief(brief, full, ids)
    else:
        lines = _my_brief(brief, full, ids)
    return "\n".join(lines).rstrip() + "\n"
