"""Pages for signing in, switching organization, settings, people, teams and personal API tokens."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from charter.core.errors import NotFound, PermissionDenied
from charter.core.http import call_with_form, public, requires

from . import selectors, services, throttle
from .forms import (
    EmailLoginForm,
    InvitationAcceptForm,
    InvitationForm,
    OrganizationCreateForm,
    OrganizationSettingsForm,
    PasswordChangeForm,
    PersonCreateForm,
    PersonEditForm,
    SetupForm,
    SignupForm,
    TeamForm,
    TeamMemberForm,
    TokenForm,
)
from .invitations import InvitationUnusable
from .middleware import SESSION_KEY
from .models import Organization, Role, User

BACKEND = "charter.organizations.auth.SessionActorBackend"


def signed_in(action: str):
    """Allow the view to any signed-in person, in an organization or not yet in any (`@requires` would
    show them the no-organization page); a member's role must still allow `action`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.actor is not None:
                request.actor.require(action)
            return view(request, *args, **kwargs)

        wrapped.charter_action = action
        return wrapped

    return decorator


# ---- first run ------------------------------------------------------------------------------------


@public
def setup(request):
    """The first owner and organization of an empty installation; gone (404) once anyone exists."""
    if User.objects.exists():  # asked each time (the middleware's answer is kept per process): rare page
        raise NotFound("Charter is already set up: sign in, or ask an admin for an invitation.")
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "password_again"}
        done = call_with_form(form, services.first_run_setup, **data, request_id=request.request_id)
        if done:
            user, org, _ = done
            auth_login(request, user, backend=BACKEND)
            request.session[SESSION_KEY] = org.pk
            messages.success(request, f"Welcome to Charter. {org.name} is ready, and you are its owner.")
            return redirect("home")
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "organizations/setup.html", {"form": form}, status=status)


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


@signed_in("organization.create")
def organization_create(request):
    """Another organization, owned by the person creating it; the session moves to it."""
    if not services.organization_create_allowed():
        raise PermissionDenied("On this installation only administrators create organizations.")
    form = OrganizationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = call_with_form(
            form,
            services.organization_create_by,
            user=request.user,
            request_id=request.request_id,
            **form.cleaned_data,
        )
        if created:
            org, _ = created
            request.session[SESSION_KEY] = org.pk
            messages.success(request, f"{org.name} was created and you are its owner. Invite your team next.")
            return redirect("home")
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "organizations/organization_create.html", {"form": form}, status=status)


@requires("organization.manage")
def organization_settings(request):
    org = request.actor.organization
    initial = {"name": org.name, "stale_days": org.stale_days, "attainment_mark": org.attainment_mark}
    initial["agent_decision_cap"] = org.agent_decision_cap
    initial["require_two_factor"] = org.require_two_factor
    initial["signup_domain"] = org.signup_domain
    form = OrganizationSettingsForm(request.POST or None, initial=initial)
    saved = request.method == "POST" and form.is_valid()
    if saved and call_with_form(form, services.organization_update, actor=request.actor, **form.cleaned_data):
        messages.success(request, "The settings were saved.")
        return redirect("organization_settings")
    signup_url = org.signup_domain and request.build_absolute_uri(reverse("signup", args=[org.slug]))
    context = {"form": form, "signup_url": signup_url}
    return render(request, "organizations/organization_settings.html", context)


# ---- teams ----------------------------------------------------------------------------------------


@requires("organization.view")
def team_list(request):
    return render(request, "organizations/team_list.html", {"tree": selectors.team_tree(actor=request.actor)})


def _picker_options(request, picker, chosen: str, search: str) -> HttpResponse:
    """htmx: a picker's options matching its search field, the chosen one kept; bounded and ordered as the
    page's own, only the organization's."""
    value = request.GET.get(chosen, "")
    selected = int(value) if value.isascii() and value.isdigit() else None
    found = picker(actor=request.actor, selected=selected, q=request.GET.get(search, ""))
    return render(request, "organizations/_picker_options.html", {"picker": found})


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
    return _people_page(request)


def _people_page(request, invite_form=None, sent=None, status=200):
    """The people page; with `people.invite`, the invitation form and the pending invitations too, and
    the links just made (`sent`, shown this once: only their hashes are stored)."""
    actor = request.actor
    context = {"people": selectors.person_list(actor=actor)}
    if actor.can("people.invite"):
        context["invite_form"] = invite_form or _invitation_form(actor)
        context["invitations"] = selectors.invitation_list(actor=actor, pending_only=True)
        context["sent"] = sent
        context["invitation_days"] = settings.CHARTER_INVITATION_DAYS
    return render(request, "organizations/person_list.html", context, status=status)


def _invitation_form(actor, data=None) -> InvitationForm:
    roles = [
        (value, label) for value, label in Role.choices if value != Role.OWNER or actor.role == Role.OWNER
    ]
    return InvitationForm(data, teams=selectors.team_list(actor=actor), roles=roles)


@require_POST
@requires("people.invite")
def invitation_create(request):
    form = _invitation_form(request.actor, request.POST)
    sent = form.is_valid() and call_with_form(
        form, services.invitation_create, actor=request.actor, **form.cleaned_data
    )
    if not sent:
        return _people_page(request, invite_form=form, status=422)
    return _people_page(request, sent=sent)


@require_POST
@requires("people.invite")
def invitation_resend(request, invitation_id):
    invitation, link = services.invitation_resend(actor=request.actor, invitation_id=invitation_id)
    return _people_page(request, sent=services.InvitationsSent(sent=[(invitation, link)], already_members=[]))


@require_POST
@requires("people.invite")
def invitation_revoke(request, invitation_id):
    invitation = services.invitation_revoke(actor=request.actor, invitation_id=invitation_id)
    messages.success(request, f"The invitation of {invitation.email} was revoked: its link no longer works.")
    return redirect("person_list")


@public
def invitation_accept(request, token):
    """The link of an invitation: a new person makes an account, an existing one joins in one click
    (signed in as the invited address); a used, revoked or expired link says so (410)."""
    try:
        invitation = services.invitation_for_token(token)
        services.invitation_check_usable(invitation)
    except NotFound as exc:
        return render(request, "organizations/invitation_unusable.html", {"error": exc}, status=404)
    except InvitationUnusable as exc:
        context = {"error": exc, "invitation": invitation}
        return render(request, "organizations/invitation_unusable.html", context, status=410)
    user = request.user if request.user.is_authenticated else None
    has_account = user is None and User.objects.filter(email=invitation.email).exists()
    other_person = user is not None and user.email.lower() != invitation.email
    form = InvitationAcceptForm(request.POST or None) if user is None and not has_account else None
    if request.method == "POST" and not has_account and not other_person:
        membership = None
        if user is not None:
            membership = services.invitation_accept(raw_token=token, user=user, request_id=request.request_id)
        elif form.is_valid():
            data = form.cleaned_data
            membership = call_with_form(
                form,
                services.invitation_accept,
                raw_token=token,
                full_name=data["full_name"],
                password=data["password"],
                request_id=request.request_id,
            )
            if membership:
                auth_login(request, membership.user, backend=BACKEND)
        if membership:
            request.session[SESSION_KEY] = invitation.organization_id
            messages.success(
                request,
                f"Welcome to {invitation.organization.name}: you joined as "
                f"{membership.get_role_display().lower()}.",
            )
            return redirect("home")
    context = {
        "invitation": invitation,
        "form": form,
        "has_account": has_account,
        "other_person": other_person,
    }
    status = 403 if other_person else 422 if form is not None and form.is_bound and form.errors else 200
    return render(request, "organizations/invitation_accept.html", context, status=status)


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


@public
def signup(request, slug):
    """An organization's public sign-up page, when it has a sign-up domain: an address at that domain is
    emailed a link to join as a member (the same page answers whether or not an email went)."""
    organization = Organization.objects.filter(slug=slug).exclude(signup_domain="").first()
    if organization is None:
        raise NotFound("This organization does not take sign-ups: ask one of its admins for an invitation.")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_with_form(
            form,
            _signup,
            slug=slug,
            email=form.cleaned_data["email"],
            client=throttle.client_address(request),
            request_id=request.request_id,
        )
        if done:
            context = {"organization": organization, "email": form.cleaned_data["email"]}
            context["days"] = settings.CHARTER_INVITATION_DAYS
            return render(request, "organizations/signup_sent.html", context)
    status = 422 if form.is_bound and form.errors else 200
    context = {"organization": organization, "form": form}
    return render(request, "organizations/signup.html", context, status=status)


def _signup(**kwargs):
    services.signup_request(organization_slug=kwargs.pop("slug"), **kwargs)
    return True
