"""Model fields the heritage records need and Django lacks."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db import models


class ChoiceListField(models.JSONField):
    """A list of choices stored as JSON, edited as checkboxes (works on SQLite and PostgreSQL)."""

    def __init__(self, *args: Any, choices: Any = None, **kwargs: Any) -> None:
        self.list_choices = list(choices or [])
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        """Keep the choices in migrations, as Django does for ``choices``."""
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices"] = self.list_choices
        return name, path, args, kwargs

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        """Every item must be one of the choices."""
        super().validate(value, model_instance)
        allowed = {key for key, _label in self.list_choices}
        unknown = [item for item in value or [] if item not in allowed]
        if unknown:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": unknown[0]},
            )

    def formfield(self, **kwargs: Any) -> forms.Field:
        """Checkboxes, one per choice."""
        return forms.TypedMultipleChoiceField(
            choices=self.list_choices,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )
