"""Signing in and out, password reset, the account page and two-factor."""

from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("login/sso/", views.sso_start, name="sso_start"),
    path("login/sso/callback/", views.sso_callback, name="sso_callback"),
    path("settings/sso/", views.sso_settings, name="sso_settings"),
    path("logout/", views.logout, name="logout"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("account/", views.account, name="account"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/email/", views.account_email, name="account_email"),
    path(
        "account/sign-out-everywhere/",
        views.account_sign_out_everywhere,
        name="account_sign_out_everywhere",
    ),
    path("account/two-factor/", views.two_factor_enrol, name="two_factor_enrol"),
    path(
        "account/two-factor/recovery-codes/",
        views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("account/two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
]
