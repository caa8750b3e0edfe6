"""Admin forms and choosers offer and accept only the objects the editor may see.

A foreign key's select or chooser, and a chooser block in a StreamField, naming a model with a
visibility rule (``cms.admin_visibility``: images, recordings and records of the heritage
archive) accept only what the editor may see, in a form and in its inline child forms. An id the
editor may not see is refused exactly as an id naming nothing: Django's "Select a valid choice"
for a field, an empty chooser for a block. Forms get this from ``VisibleChoicesForm`` (snippets)
and ``VisibleChoicesPageForm`` (pages), snippet choosers from ``VisibleChooserViewSet``.

The same forms let a translator change only their languages' translations
(``cms.translators.limit_to_languages``); the fields disabled for them keep what they hold, and
are not narrowed.
"""

from typing import Any

from django.db.models import Model, QuerySet
from django.forms import BaseForm, ModelChoiceField
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.blocks import BlockField, ListBlock, StreamBlock, StructBlock
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet

from cms.admin_visibility import is_visible, visible_instances
from cms.translators import limit_to_languages


def narrow_choices(form: BaseForm, user: Any) -> None:
    """Let ``form`` and its inline forms accept only objects ``user`` may see (a disabled field
    keeps what it holds: ``user`` changes nothing there)."""
    for field in form.fields.values():
        if field.disabled:
            continue
        if isinstance(field, ModelChoiceField) and isinstance(field.queryset, QuerySet):
            visible = visible_instances(user, field.queryset.model)
            if visible is not None:
                field.queryset = field.queryset.filter(pk__in=visible.values("pk"))
        if isinstance(field, BlockField):
            field.clean = blocks_cleaned_without_hidden(field, user)
    for formset in getattr(form, "formsets", {}).values():
        formset.form = with_visible_choices(formset.form, user)


def with_visible_choices(form_class: type[BaseForm], user: Any) -> type[BaseForm]:
    """``form_class``, narrowing its choices to what ``user`` may see."""

    class VisibleChoices(form_class):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            narrow_choices(self, user)

    VisibleChoices.__name__ = form_class.__name__
    return VisibleChoices


def blocks_cleaned_without_hidden(field: BlockField, user: Any) -> Any:
    """``field.clean``, after emptying chooser blocks that name what ``user`` may not see."""
    clean = field.clean

    def cleaned(value: Any) -> Any:
        return clean(without_hidden(field.block, value, user))

    return cleaned


def without_hidden(block: Any, value: Any, user: Any) -> Any:
    """``value`` of ``block``, each chosen object ``user`` may not see replaced by nothing."""
    if value is None:
        return value
    if isinstance(value, Model):  # a chooser's choice, or an image block's image
        return value if is_visible(user, type(value), value.pk) else None
    if isinstance(block, StreamBlock):
        for index, child in enumerate(value):
            kept = without_hidden(child.block, child.value, user)
            if kept is not child.value:
                value[index] = (child.block_type, kept, child.id)
    elif isinstance(block, StructBlock):
        for name, child_block in block.child_blocks.items():
            if name in value:
                value[name] = without_hidden(child_block, value[name], user)
    elif isinstance(block, ListBlock):
        for child in value.bound_blocks:
            child.value = without_hidden(block.child_block, child.value, user)
    return value


class VisibleChoicesMixin:
    """Narrow an admin form's choices to what its user may see; let a translator change only
    their languages' translations (``cms.translators``)."""

    for_user: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            limit_to_languages(self, self.for_user)  # type: ignore[arg-type]
            narrow_choices(self, self.for_user)  # type: ignore[arg-type]


class VisibleChoicesForm(VisibleChoicesMixin, WagtailAdminModelForm):
    """The admin form of snippets whose fields choose protected objects."""


class VisibleChoicesPageForm(VisibleChoicesMixin, WagtailAdminPageForm):
    """The admin form of pages: their images and recordings are what the editor may see, and a
    translator changes only their languages."""


class VisibleObjectsMixin:
    """A chooser view listing only the objects its user may see."""

    model_class: type[Model]
    request: Any

    def get_object_list(self) -> QuerySet:
        """The chooser's objects, less those hidden from the editor."""
        objects = super().get_object_list()  # type: ignore[misc]
        visible = visible_instances(self.request.user, self.model_class)
        return objects if visible is None else objects.filter(pk__in=visible.values("pk"))


class VisibleChooseView(VisibleObjectsMixin, ChooseView):
    """A snippet chooser, listing only what the editor may see."""


class VisibleChooseResultsView(VisibleObjectsMixin, ChooseResultsView):
    """A snippet chooser's results, listing only what the editor may see."""


class VisibleChooserViewSet(SnippetChooserViewSet):
    """The chooser of a snippet with a visibility rule (its URLs naming an object are guarded by
    ``cms.admin_guards``)."""

    choose_view_class = VisibleChooseView
    choose_results_view_class = VisibleChooseResultsView
