"""Home, the team page, the first-run guide and the help pages."""

from django.shortcuts import render

from charter.backbriefs import help as back_brief_help
from charter.core.http import requires
from charter.delegation.rules import LEVELS
from charter.organizations.views import team_member_form

from . import selectors


@requires("organization.view")
def home(request):
    return render(request, "web/home.html", selectors.home_overview(actor=request.actor))


@requires("organization.view")
def team_detail(request, team_id):
    context = selectors.team_overview(actor=request.actor, team_id=team_id)
    if request.actor.can("team.manage"):
        context["member_form"] = team_member_form(request.actor)
    return render(request, "web/team_detail.html", context)


@requires("organization.view")
def guide(request):
    return render(request, "web/guide.html", selectors.guide_steps(actor=request.actor))


@requires("organization.view")
def help_index(request):
    # The help panels of back-briefs and delegation read their texts from their apps.
    context = {"help": back_brief_help, "levels": list(LEVELS.values())}
    return render(request, "web/help/index.html", context)
