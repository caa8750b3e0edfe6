"""Groups the apps create after each migration, with the permissions their work needs."""

from typing import Any

from django.apps import AppConfig, apps
from django.contrib.auth.models import Group, Permission
from django.dispatch import Signal

apps_migrated = Signal()
"""Sent once after a migration (or a test's flush) has sent every app's ``post_migrate``, with
its arguments: the content types and permissions of the apps exist, so groups can be given them.
Django sends ``post_migrate`` once per app; a handler of its own would run some thirty times."""


def send_apps_migrated(sender: AppConfig, **kwargs: Any) -> None:
    """``post_migrate``: send ``apps_migrated`` on the last app's turn.

    That app's own permissions may come after this handler (Django's are connected later);
    no group is given any of them.
    """
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender.label == with_models[-1].label:
        kwargs.pop("signal", None)
        apps_migrated.send(sender=None, **kwargs)


def ensure_group(name: str, permissions: list[tuple[str, str]]) -> Group:
    """The group ``name``, created if missing, holding each ``(app_label, codename)`` that
    exists."""
    group, _ = Group.objects.get_or_create(name=name)
    for app_label, codename in permissions:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)
    return group
