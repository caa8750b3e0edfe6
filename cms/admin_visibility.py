"""Which objects an editor may see in the admin, for models whose objects are not all shown.

Wagtail decides what an editor may do by model permissions and collections. Some objects are
hidden besides, by rules of the apps that own them (the heritage archive's cultural protocols
hide records, and the images and recordings only hidden records use). An app registers the rule
of such a model once, with ``register_visibility``; everything in the admin that lists, counts,
names or accepts objects asks ``visible_instances`` (``cms.admin_guards``,
``cms.admin_choices``, ``cms.admin_reports``), so a hidden object is absent everywhere, and
answered exactly like a missing one.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.fields.related import RelatedField
from django.db.models.functions import Cast

VisibilityRule = Callable[[Any], QuerySet]
"""The instances of a model a user may see, as a queryset."""

_rules: dict[type[Model], VisibilityRule] = {}


def register_visibility(model: type[Model], rule: VisibilityRule) -> None:
    """Show editors only the instances of ``model`` that ``rule(user)`` returns."""
    _rules[model] = rule


def protected_models() -> list[type[Model]]:
    """The models with a visibility rule."""
    return list(_rules)


def visible_instances(user: Any, model: type[Model]) -> QuerySet | None:
    """The instances of ``model`` that ``user`` may see; ``None`` when all are visible."""
    rule = _rules.get(model)
    if rule is None or user.is_superuser:
        return None
    return rule(user)


def is_visible(user: Any, model: type[Model], pk: Any) -> bool:
    """Whether ``user`` may see the instance of ``model`` with primary key ``pk``.

    A primary key that is not one (``"abc"`` for an integer key) names nothing visible.
    """
    visible = visible_instances(user, model)
    if visible is None:
        return True
    keys = primary_keys(model, [pk])
    return bool(keys) and visible.filter(pk=keys[0]).exists()


def primary_keys(model: type[Model], values: list[Any]) -> list[Any]:
    """Those of ``values`` that can be primary keys of ``model``, as keys (``"abc"`` or a
    number beyond the column's range is none)."""
    field = model._meta.pk
    # A page's key is its Page's.
    column = field.target_field if isinstance(field, RelatedField) else field
    keys = []
    for value in values:
        try:
            key = field.to_python(value)
        except ValidationError:
            continue
        if isinstance(key, int):
            low, high = connection.ops.integer_field_range(column.get_internal_type())
            if not low <= key <= high:
                continue  # a number no row can have, which the database would not even take
        keys.append(key)
    return keys


def hidden_references(
    user: Any, content_type: str = "content_type", object_id: str = "object_id"
) -> Q:
    """A filter keeping rows (log entries, workflow states, revisions) that name a content type
    and an object id, unless the object is one ``user`` may not see.

    An object that no longer exists is not visible either: its title lives on in the row.
    """
    keep = Q()
    for model in protected_models():
        visible = visible_instances(user, model)
        if visible is None:
            continue
        ids = visible.annotate(text_pk=Cast("pk", output_field=CharField())).values("text_pk")
        kind = ContentType.objects.get_for_model(model)
        keep &= ~Q(**{content_type: kind}) | Q(**{f"{object_id}__in": ids})
    return keep
