"""Account pages: signing in (with a second step for two-factor), password reset, the profile page,
sessions, and two-factor enrolment. Thin: the writes are in services."""

import secrets
import time
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from charter.core.http import call_with_form, public, requires
from charter.organizations import views as organization_views

from . import oidc, selectors, services, throttle
from .forms import (
    CodeForm,
    DisableForm,
    EmailChangeForm,
    EnrolForm,
    PasswordResetRequestForm,
    ProfileForm,
    RegenerateForm,
    SetPasswordForm,
    SingleSignOnForm,
)
from .middleware import SSO_SESSION

PENDING = "_charter_two_factor_pending"  # {"user": id, "at": seconds, "next": url}: password right, code due
PENDING_SECONDS = 5 * 60
SSO_PENDING = "_charter_sso_pending"  # {"state", "nonce", "verifier", "provider", "at", "next"}
SSO_PENDING_SECONDS = 10 * 60

# ---- signing in -----------------------------------------------------------------------------------


class LoginView(organization_views.LoginView):
    """Charter's sign-in (throttled, answering 429). A person with two-factor is not signed in after the
    password: the session only notes who is waiting for the code step."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_buttons"] = _sso_buttons(self.request, context.get("next", ""))
        return context

    def form_valid(self, form):
        user = form.get_user()
        refusal = services.password_sign_in_check(user=user, request_id=self.request.request_id)
        if refusal:  # an organization that signs in by single sign-on only
            form.add_error(None, refusal)
            response = self.form_invalid(form)
            response.status_code = 403
            return response
        if not user.two_factor:
            self.request.session.pop(PENDING, None)
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "at": int(time.time()),
            "next": self.get_success_url(),
        }
        return redirect("login_code")


login = public(LoginView.as_view())
logout = organization_views.logout
password_change = organization_views.password_change


@public
@never_cache
@sensitive_post_parameters("code")
def login_code(request):
    """The second step of signing in: a code from the authenticator app or a recovery code."""
    pending = request.session.get(PENDING)
    user = None
    if pending and time.time() - pending.get("at", 0) <= PENDING_SECONDS:
        user = selectors.pending_two_factor_user(pending.get("user"))
    if user is None:
        request.session.pop(PENDING, None)
        messages.info(
            request, "Sign in with your email and password first; the code step then waits 5 minutes."
        )
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        block = throttle.code_blocked(request, user.pk)
        if block:
            form.add_error(None, f"Too many wrong codes. Try again in {block.minutes}.")
            response = render(request, "accounts/login_code.html", {"form": form}, status=429)
            response["Retry-After"] = str(block.retry_after)
            return response
        device, reason = services.two_factor_verify(
            user=user, code=form.cleaned_data["code"], request_id=request.request_id
        )
        if device is None:
            throttle.code_failed(request, user.pk)
            form.add_error("code", reason)
        else:
            throttle.code_succeeded(user.pk)
            next_url = pending.get("next") or ""
            del request.session[PENDING]
            auth_login(request, user)  # a new session key, as for any sign-in
            otp_login(request, device)  # notes the device in the session (django-otp's key)
            if getattr(device, "token_set", None) is not None:
                left = device.token_set.count()
                messages.warning(
                    request,
                    f"You signed in with a recovery code; {left} left. Renew them on your account page.",
                )
            if not url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                next_url = reverse(settings.LOGIN_REDIRECT_URL)
            return redirect(next_url)
    return render(request, "accounts/login_code.html", {"form": form})


# ---- password reset -------------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by email. The same answer whether an account has the address or not; asking
    too often (per address typed, per network address) answers 429."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        block = throttle.reset_blocked(self.request, form.cleaned_data["email"])
        if block:
            form.add_error(
                None,
                f"Too many reset emails were asked for. Try again in {block.minutes}, or ask an admin "
                "of your organization.",
            )
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(block.retry_after)
            return response
        self.extra_email_context = {"base_url": settings.CHARTER_BASE_URL}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link from the email (Django checks it: single use, an hour). The new password is saved through
    the service; then the person is signed in, unless two-factor asks for a code at sign-in."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm

    def form_valid(self, form):
        user = call_with_form(
            form,
            services.password_reset_complete,
            user=self.user,
            new_password=form.cleaned_data["new_password1"],
            request_id=getattr(self.request, "request_id", ""),
        )
        if user is None:
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        if user.two_factor:
            messages.success(self.request, "Your password was changed. Sign in with it and your code.")
            return redirect("login")
        auth_login(self.request, user)
        messages.success(self.request, "Your password was changed, and you are signed in.")
        return redirect(settings.LOGIN_REDIRECT_URL)


password_reset = public(PasswordResetView.as_view())
password_reset_done = public(PasswordResetDoneView.as_view())
password_reset_confirm = public(PasswordResetConfirmView.as_view())


# ---- the account page -----------------------------------------------------------------------------


def _account_page(
    request, *, profile_form=None, email_form=None, disable_form=None, regenerate_form=None, status=200
):
    user = request.user
    context = {
        "profile_form": profile_form
        or ProfileForm(initial={"full_name": user.full_name, "time_zone": user.time_zone}),
        "email_form": email_form or EmailChangeForm(),
        "disable_form": disable_form or DisableForm(),
        "regenerate_form": regenerate_form or RegenerateForm(),
    }
    return render(request, "accounts/account.html", context, status=status)


@requires("account.manage")
def account(request):
    """The profile page: name, time zone, email, password, sessions and two-factor."""
    if request.method != "POST":
        return _account_page(request)
    form = ProfileForm(request.POST)
    if form.is_valid() and call_with_form(
        form, services.profile_update, actor=request.actor, **form.cleaned_data
    ):
        messages.success(request, "Your profile was saved.")
        return redirect("account")
    return _account_page(request, profile_form=form, status=422)


@require_POST
@requires("account.manage")
@sensitive_post_parameters("password")
def account_email(request):
    form = EmailChangeForm(request.POST)
    if form.is_valid() and call_with_form(
        form, services.email_change, actor=request.actor, **form.cleaned_data
    ):
        messages.success(request, f"You now sign in with {form.cleaned_data['email'].lower()}.")
        return redirect("account")
    return _account_page(request, email_form=form, status=422)


@require_POST
@requires("account.manage")
def account_sign_out_everywhere(request):
    user = services.sign_out_everywhere(actor=request.actor)
    request.user.session_generation = user.session_generation
    update_session_auth_hash(request, request.user)  # this session stays, under a new key
    messages.success(request, "Every other session of yours has ended; this one stays signed in.")
    return redirect("account")


# ---- two-factor -----------------------------------------------------------------------------------


def _qr_data_uri(device) -> str:
    """The enrolment QR code as an SVG data URI, drawn here (no script, no request elsewhere)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2, dark="#182433")


@never_cache
@requires("account.manage")
def two_factor_enrol(request):
    """Set up an authenticator: its secret as a QR code and as text, confirmed by a first code."""
    if request.user.two_factor:
        return redirect("account")
    device = services.two_factor_begin(actor=request.actor)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = call_with_form(
            form, services.two_factor_confirm, actor=request.actor, code=form.cleaned_data["code"]
        )
        if codes:
            messages.success(request, "Two-factor sign-in is on.")
            return _recovery_codes_page(request, codes)
    context = {"form": form, "qr": _qr_data_uri(device), "secret": services.authenticator_secret(device)}
    return render(request, "accounts/two_factor_enrol.html", context, status=422 if form.errors else 200)


def _recovery_codes_page(request, codes):
    text = "Charter recovery codes for {}\nEach code works once.\n\n{}\n".format(
        request.user.email, "\n".join(codes)
    )
    response = render(request, "accounts/recovery_codes.html", {"codes": codes, "codes_text": text})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@requires("account.manage")
@sensitive_post_parameters("password")
def two_factor_recovery_codes(request):
    form = RegenerateForm(request.POST)
    codes = form.is_valid() and call_with_form(
        form, services.recovery_codes_regenerate, actor=request.actor, **form.cleaned_data
    )
    if not codes:
        return _account_page(request, regenerate_form=form, status=422)
    messages.success(request, "New recovery codes: the old ones no longer work.")
    return _recovery_codes_page(request, codes)


@require_POST
@requires("account.manage")
@sensitive_post_parameters("password", "code")
def two_factor_disable(request):
    """Turning two-factor off with a code counts wrong codes like the sign-in step does."""
    form = DisableForm(request.POST)
    user_id = request.user.pk
    block = request.POST.get("code") and not request.POST.get("password")
    block = block and throttle.code_blocked(request, user_id)
    if block:
        form.add_error(None, f"Too many wrong codes. Try again in {block.minutes}, or use your password.")
        response = _account_page(request, disable_form=form, status=429)
        response["Retry-After"] = str(block.retry_after)
        return response
    if form.is_valid() and call_with_form(
        form, services.two_factor_disable, actor=request.actor, **form.cleaned_data
    ):
        messages.success(request, "Two-factor sign-in is off.")
        return redirect("account")
    if form.cleaned_data.get("code"):
        throttle.code_failed(request, user_id)
    return _account_page(request, disable_form=form, status=422)


# ---- single sign-on (ADR 25) ----------------------------------------------------------------------


def _safe_next(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _sso_buttons(request, next_url: str) -> list[dict]:
    """The "Sign in with <provider>" buttons of the sign-in page: the installation's provider, and an
    organization's own one when the page was opened from its sign-in link (`/login/?org=<slug>`)."""
    buttons = []
    slug = request.GET.get("org", "")
    organization = slug and selectors.organization_by_slug(slug)
    provider = organization and selectors.organization_provider(organization)
    if provider and provider.organization_id is not None:
        query = urlencode({"org": slug, **({"next": next_url} if next_url else {})})
        buttons.append({"label": f"Sign in with {provider.name}", "url": f"{reverse('sso_start')}?{query}"})
    provider = selectors.global_provider()
    if provider is not None:
        query = urlencode({"next": next_url}) if next_url else ""
        url = reverse("sso_start") + (f"?{query}" if query else "")
        buttons.append({"label": f"Sign in with {provider.name}", "url": url})
    return buttons


def _sso_refused(request, message: str):
    messages.error(request, message)
    return redirect("login")


@public
@never_cache
def sso_start(request):
    """Send the browser to the provider (the organization's own with `?org=<slug>`, else the
    installation's), keeping the state, nonce and PKCE verifier in the session."""
    slug = request.GET.get("org", "")
    organization = slug and selectors.organization_by_slug(slug)
    provider = selectors.organization_provider(organization) if organization else selectors.global_provider()
    if provider is None:
        return _sso_refused(
            request,
            "Single sign-on is not set up for this sign-in: sign in with your email and password, or use "
            "the sign-in link your admin shared.",
        )
    try:
        url, pending = oidc.begin(provider, redirect_uri=settings.CHARTER_BASE_URL + reverse("sso_callback"))
    except oidc.SSOError as exc:
        return _sso_refused(request, exc.message)
    request.session[SSO_PENDING] = {
        **pending,
        "provider": provider.organization_id or "global",
        "at": int(time.time()),
        "next": _safe_next(request, request.GET.get("next", "")),
    }
    return redirect(url)


@public
@never_cache
def sso_callback(request):
    """The provider sends the browser back here: the state is checked, the code exchanged, the ID token
    checked, and the person signed in (Charter's own code step is skipped: the provider's is the second
    factor, ADR 25)."""
    pending = request.session.pop(SSO_PENDING, None)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > SSO_PENDING_SECONDS:
        return _sso_refused(
            request, "This single sign-on answer came without a sign-in started here, or after 10 minutes: "
            "start again.",
        )  # fmt: skip
    if not secrets.compare_digest(request.GET.get("state", ""), pending["state"]):
        return _sso_refused(
            request,
            "The sign-in answer does not belong to the sign-in Charter started (state): start again.",
        )
    if request.GET.get("error"):
        error = "".join(c for c in request.GET["error"][:60] if c.isalnum() or c in "_-")
        return _sso_refused(request, f"The sign-in provider did not sign you in ({error}).")
    provider = selectors.provider_for_key(pending["provider"])
    if provider is None:
        return _sso_refused(request, "Single sign-on is no longer set up for this sign-in.")
    try:
        claims = oidc.finish(
            provider,
            code=request.GET.get("code", ""),
            redirect_uri=settings.CHARTER_BASE_URL + reverse("sso_callback"),
            verifier=pending["verifier"],
            nonce=pending["nonce"],
        )
        user, organization = services.sso_sign_in(
            provider=provider, claims=claims, request_id=request.request_id
        )
    except oidc.SSOError as exc:
        return _sso_refused(request, exc.message)
    request.session.pop(PENDING, None)
    auth_login(request, user, backend=organization_views.BACKEND)  # a new session key
    request.session[organization_views.SESSION_KEY] = organization.pk
    request.session[SSO_SESSION] = provider.issuer
    return redirect(pending.get("next") or settings.LOGIN_REDIRECT_URL)


@requires("organization.manage")
def sso_settings(request):
    """An organization's single sign-on: its provider, SSO-only, joining by single sign-on."""
    organization = request.actor.organization
    row = selectors.sso_settings_of(organization)
    initial = {}
    if row is not None:
        fields = ("name", "issuer", "client_id", "allow_private", "sso_only", "join_by_sso")
        initial = {name: getattr(row, name) for name in fields}
    form = SingleSignOnForm(request.POST or None, initial=initial)
    saved = request.method == "POST" and form.is_valid()
    if saved and call_with_form(form, services.sso_settings_update, actor=request.actor, **form.cleaned_data):
        messages.success(request, "The single sign-on settings were saved.")
        return redirect("sso_settings")
    context = {
        "form": form,
        "has_secret": bool(row and row.client_secret),
        "global_provider": selectors.global_provider(),
        "redirect_uri": settings.CHARTER_BASE_URL + reverse("sso_callback"),
        "sign_in_url": f"{settings.CHARTER_BASE_URL}{reverse('login')}?org={organization.slug}",
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "accounts/sso_settings.html", context, status=status)
