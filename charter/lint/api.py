"""API of the goal lint: a cycle's findings, the rules, and the organization's settings."""

from ninja import Router

from charter.core.api import action
from charter.core.errors import NotFound

from . import registry, selectors, services
from .schemas import LintOut, LintSettingsIn, RuleOut

router = Router(tags=["lint"])
READ = action("organization.view")


def _rules_out(rows: list[dict]) -> list[dict]:
    return [
        {
            "code": row["rule"].code,
            "name": row["rule"].name,
            "severity": row["rule"].severity,
            "scope": row["rule"].scope,
            "message": row["rule"].message,
            "hint": row["rule"].hint,
            "enabled": row["enabled"],
            "thresholds": row["thresholds"],
        }
        for row in rows
    ]


@router.get("/lint", response=LintOut, operation_id="lint_findings", openapi_extra=READ)
def lint_findings(request, cycle_id: int | None = None):
    """The findings of a cycle (the current one when `cycle_id` is left out)."""
    cycle = selectors.current_cycle(actor=request.auth, cycle_id=cycle_id)
    if cycle is None:
        raise NotFound("No cycle yet.")
    found = selectors.cycle_findings(actor=request.auth, cycle_id=cycle.pk)["findings"]
    return {
        "cycle_id": cycle.pk,
        "cycle_name": cycle.name,
        "counts": registry.severity_counts(found),
        "findings": [f.as_dict() for f in found],
    }


@router.get("/lint/rules", response=list[RuleOut], operation_id="lint_rule_list", openapi_extra=READ)
def lint_rule_list(request):
    """Every rule, whether it is on here and its thresholds."""
    return _rules_out(selectors.rule_list(actor=request.auth))


@router.put(
    "/lint/settings",
    response=list[RuleOut],
    operation_id="lint_settings_update",
    openapi_extra=action("lint.configure"),
)
def lint_settings_update(request, payload: LintSettingsIn):
    """Turn rules off (the ones not listed are on) and override thresholds; answers the rules."""
    services.lint_settings_update(actor=request.auth, **payload.model_dump())
    return _rules_out(selectors.rule_list(actor=request.auth))
