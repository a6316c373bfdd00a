from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "charter.accounts"
    label = "accounts"
