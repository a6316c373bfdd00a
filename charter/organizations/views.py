"""Pages for signing in, switching organization, settings, people, teams and personal API tokens."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from charter.core.http import call_with_form, public, requires

from . import selectors, services
from .forms import (
    EmailLoginForm,
    OrganizationSettingsForm,
    PasswordChangeForm,
    PersonCreateForm,
    PersonEditForm,
    TeamForm,
    TeamMemberForm,
    TokenForm,
)
from .middleware import SESSION_KEY

# ---- signing in and out ---------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Django's sign-in (a new session key at login), answering 429 with Retry-After when throttled."""

    template_name = "organizations/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.blocked:
            response.status_code = 429
            response["Retry-After"] = str(form.blocked.retry_after)
        return response


login = public(LoginView.as_view())

# Public on purpose: a person with no organization left must still be able to sign out, and signing
# out takes nothing from anyone. Django's LogoutView accepts POST only.
logout = public(auth_views.LogoutView.as_view())


@requires("organization.view")
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = call_with_form(
            form, _password_change, actor=request.actor, old=data["old_password"], new=data["new_password"]
        )
        if done:
            # The new hash ends every other session; this one is kept, under a new key.
            update_session_auth_hash(request, request.user)
            messages.success(request, "Your password was changed.")
            return redirect("home")
    return render(request, "organizations/password_change.html", {"form": form})


def _password_change(*, actor, old, new):
    services.password_change(actor=actor, old_password=old, new_password=new)
    return True


# ---- organization ---------------------------------------------------------------------------------


@require_POST
@requires("organization.view")
def organization_switch(request, organization_id):
    organization = selectors.organization_of(user=request.user, organization_id=organization_id)
    request.session[SESSION_KEY] = organization.pk
    messages.info(request, f"You are now working in {organization.name}.")
    return redirect("home")


@requires("organization.manage")
def organization_settings(request):
    org = request.actor.organization
    initial = {"name": org.name, "stale_days": org.stale_days, "attainment_mark": org.attainment_mark}
    initial["agent_decision_cap"] = org.agent_decision_cap
    initial["require_two_factor"] = org.require_two_factor
    form = OrganizationSettingsForm(request.POST or None, initial=initial)
    saved = request.method == "POST" and form.is_valid()
    if saved and call_with_form(form, services.organization_update, actor=request.actor, **form.cleaned_data):
        messages.success(request, "The settings were saved.")
        return redirect("organization_settings")
    return render(request, "organizations/organization_settings.html", {"form": form})


# ---- teams ----------------------------------------------------------------------------------------


@requires("organization.view")
def team_list(request):
    return render(request, "organizations/team_list.html", {"tree": selectors.team_tree(actor=request.actor)})


def _picker_options(request, picker, chosen: str, search: str) -> HttpResponse:
    """htmx: a picker's options matching its search field, the chosen one kept; bounded and ordered as the
    page's own, only the organization's."""
    value = request.GET.get(chosen, "")
    selected = int(value) if value.isascii() and value.isdigit() else None
    return HttpResponse(picker(actor=request.actor, selected=selected, q=request.GET.get(search, "")).options)


@requires("organization.view")
def team_options(request):
    """The options of a team filter (`organizations/_team_picker.html`) matching `team_q`."""
    return _picker_options(request, selectors.team_picker, "team", "team_q")


@requires("organization.view")
def person_options(request):
    """The options of a person filter (`organizations/_person_picker.html`) matching `owner_q`: the
    organization's active members."""
    return _picker_options(request, selectors.person_picker, "owner", "owner_q")


@requires("team.manage")
def team_create(request):
    form = TeamForm(request.POST or None, teams=selectors.team_list(actor=request.actor))
    if request.method == "POST" and form.is_valid():
        team = call_with_form(form, services.team_create, actor=request.actor, **form.cleaned_data)
        if team:
            messages.success(request, f"Team {team.name} was created. Add its people next.")
            return redirect("team_detail", team_id=team.pk)
    return render(request, "organizations/team_form.html", {"form": form})


@requires("team.manage")
def team_edit(request, team_id):
    team = selectors.team_get(actor=request.actor, team_id=team_id)
    initial = {"name": team.name, "description": team.description, "parent_id": team.parent_id}
    teams = selectors.team_list(actor=request.actor)
    form = TeamForm(request.POST or None, initial=initial, teams=teams, exclude_id=team.pk)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_with_form(
            form, services.team_update, actor=request.actor, team_id=team.pk, **form.cleaned_data
        )
    ):
        messages.success(request, "The team was saved.")
        return redirect("team_detail", team_id=team.pk)
    return render(request, "organizations/team_form.html", {"form": form, "team": team})


@require_POST
@requires("team.manage")
def team_member_add(request, team_id):
    # Another organization's team answers 404 before the form is even read.
    selectors.team_get(actor=request.actor, team_id=team_id)
    form = TeamMemberForm(request.POST, people=selectors.member_users(actor=request.actor))
    added = form.is_valid() and call_with_form(
        form, services.team_member_set, actor=request.actor, team_id=team_id, **form.cleaned_data
    )
    notice = added and f"{added.user} is now in the team{' as a lead' if added.is_lead else ''}."
    return _team_members_answer(request, team_id, None if added else form, notice)


@require_POST
@requires("team.manage")
def team_member_remove(request, team_id, user_id):
    services.team_member_remove(actor=request.actor, team_id=team_id, user_id=user_id)
    return _team_members_answer(request, team_id, None, "The person was removed from the team.")


def _team_members_answer(request, team_id, failed_form, notice):
    """htmx swaps the members card in place, notice inside; a plain post goes back to the team page."""
    if request.htmx:
        context = {**team_members_context(request.actor, team_id, failed_form), "notice": notice}
        return render(request, "organizations/_team_members.html", context)
    if notice:
        messages.success(request, notice)
    if failed_form is not None:
        messages.error(request, " ".join(e for errors in failed_form.errors.values() for e in errors))
    return redirect("team_detail", team_id=team_id)


def team_members_context(actor, team_id, form=None) -> dict:
    return {
        "team": selectors.team_get(actor=actor, team_id=team_id),
        "member_form": form or team_member_form(actor),
    }


def team_member_form(actor) -> TeamMemberForm:
    """The empty "add a member" form of the members card; the team page (in charter.web) shows it too."""
    return TeamMemberForm(people=selectors.member_users(actor=actor))


# ---- people ---------------------------------------------------------------------------------------


@requires("organization.view")
def person_list(request):
    return render(
        request, "organizations/person_list.html", {"people": selectors.person_list(actor=request.actor)}
    )


@requires("people.manage")
def person_create(request):
    form = PersonCreateForm(request.POST or None, teams=selectors.team_list(actor=request.actor))
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "password": form.cleaned_data["password"] or None}
        membership = call_with_form(form, services.person_add, actor=request.actor, **data)
        if membership:
            messages.success(
                request, f"{membership.user} was added as {membership.get_role_display().lower()}."
            )
            return redirect("person_list")
    return render(request, "organizations/person_form.html", {"form": form})


@requires("people.manage")
def person_edit(request, user_id):
    membership = selectors.person_get(actor=request.actor, user_id=user_id)
    initial = {"role": membership.role, "title": membership.title, "is_active": membership.is_active}
    form = PersonEditForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_with_form(
            form, services.person_update, actor=request.actor, user_id=user_id, **form.cleaned_data
        )
    ):
        messages.success(request, f"{membership.user} was saved.")
        return redirect("person_list")
    return render(request, "organizations/person_form.html", {"form": form, "membership": membership})


# ---- API tokens -----------------------------------------------------------------------------------


@requires("token.manage")
def token_list(request):
    return _token_page(request, TokenForm())


@require_POST
@requires("token.manage")
def token_create(request):
    form = TokenForm(request.POST)
    created = form.is_valid() and call_with_form(
        form, services.token_create, actor=request.actor, **form.cleaned_data
    )
    if not created:
        return _token_page(request, form, status=422)
    token, raw = created
    # The raw value is shown in this one response and never again: it is not stored anywhere.
    return _token_page(request, TokenForm(), new_token=token, raw_token=raw)


@require_POST
@requires("token.manage")
def token_revoke(request, token_id):
    token = services.token_revoke(actor=request.actor, token_id=token_id)
    if request.htmx:
        return render(request, "organizations/token_list.html#token_row", {"token": token})
    messages.success(request, f"The token {token.name} was revoked.")
    return redirect("token_list")


def _token_page(request, form, status=200, **extra):
    tokens = selectors.token_list(actor=request.actor)
    return render(
        request, "organizations/token_list.html", {"form": form, "tokens": tokens, **extra}, status=status
    )
