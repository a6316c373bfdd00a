"""Schemas of the goal lint: findings, rules and the settings, for the API."""

from typing import Literal

from ninja import Field, Schema

from charter.core.schemas import InSchema

Severity = Literal["error", "warning", "info"]


class FindingOut(Schema):
    code: str = Field(description="The rule's stable code, such as CH003.")
    severity: Severity
    message: str
    hint: str = Field(description="How to fix it.")
    goal_id: int | None = Field(None, description="The goal it is about; empty for a team-level smell.")
    goal_title: str = ""
    team: str = Field("", description="The team it is about (or the goal's team).")


class LintOut(Schema):
    cycle_id: int
    cycle_name: str
    counts: dict[str, int] = Field(description="Findings per severity.")
    findings: list[FindingOut]


class RuleOut(Schema):
    code: str
    name: str
    severity: Severity
    scope: Literal["goal", "org"]
    message: str
    hint: str
    enabled: bool
    thresholds: dict[str, float]


class LintSettingsIn(InSchema):
    disabled: list[str] = Field(default_factory=list, description="Codes of the rules to turn off.")
    thresholds: dict[str, dict[str, float]] = Field(
        default_factory=dict, description='Overrides, such as {"CH004": {"max_key_results": 7}}.'
    )
