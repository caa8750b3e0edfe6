"""Groups the apps create after each migration, with the permissions their work needs."""

from django.contrib.auth.models import Group, Permission


def ensure_group(name: str, permissions: list[tuple[str, str]]) -> Group:
    """The group ``name``, created if missing, holding each ``(app_label, codename)`` that
    exists (an app migrated later adds its own on its turn)."""
    group, _ = Group.objects.get_or_create(name=name)
    for app_label, codename in permissions:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)
    return group
