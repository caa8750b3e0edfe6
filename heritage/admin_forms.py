"""The admin form of a heritage record, holding the archive's protocols.

- Community narratives and media items the editor may not see are neither shown nor changeable:
  they are left out of the inline forms (so a copy of the record leaves them out too), and saving
  the form keeps them as they were.
- Images and recordings the editor may not see are refused like missing ones
  (``cms.admin_choices``).
- Giving a media item a file that would then be shown to people who may not see it now (a
  photograph a secret record holds, reused in a public record) needs the editor to confirm, by
  name, the wider audience; the choice is logged on the file.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms import ModelChoiceField
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import BaseChildFormSet
from modelcluster.queryset import FakeQuerySet
from wagtail.admin.panels import FieldPanel
from wagtail.log_actions import log

from cms.admin_choices import VisibleChoicesForm
from heritage.audience import OFFICERS, PUBLIC, audience_of, both, visible_children
from heritage.file_audience import FILE_FIELDS, current_audience, widened_audience
from heritage.models import CommunityGroup, HeritageRecord

CHILDREN = ("narratives", "media_items")
"""The inline children that carry protocols of their own."""

WIDENED_ACTION = "heritage.file_audience_widened"
"""The log action of a file shown to a wider audience by an editor's confirmed choice."""


def describe_audience(tokens: set[str]) -> str:
    """Who the tokens name, in words an editor understands."""
    if PUBLIC in tokens:
        return gettext("everyone, on the public site")
    names = []
    if OFFICERS in tokens:
        names.append(gettext("cultural officers"))
    communities = [int(token.split(":")[1]) for token in tokens if token.startswith("community:")]
    names += [str(group) for group in CommunityGroup.objects.filter(pk__in=communities)]
    people = sum(token.startswith("user:") for token in tokens)
    if people:
        names.append(gettext("the custodians of the record (%(count)s)") % {"count": people})
    return ", ".join(names)


@dataclass(frozen=True)
class Widening:
    """A file a media item would show to people who may not see it now."""

    file: Model
    tokens: set[str]


class ConfirmationPanel(FieldPanel):
    """The confirmation of a wider audience: shown only when the form asks for it."""

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self) -> bool:
            """Only while a file's audience would widen."""
            return bool(getattr(self.form, "widenings", None)) and super().is_shown()


class HeritageRecordForm(VisibleChoicesForm):
    """A record's admin form: see the module's docstring."""

    confirm_wider_audience = forms.BooleanField(
        label=_("Show the files listed above to this wider audience"),
        required=False,
        help_text=_("A file kept for fewer people elsewhere in the archive becomes visible here."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.widenings: list[Widening] = []
        self.hidden_children: dict[str, list[Model]] = {}
        if self.for_user is not None:
            for name in CHILDREN:
                self.leave_out_hidden(name)

    def leave_out_hidden(self, name: str) -> None:
        """Build the inline forms of ``name`` from the children the editor may see only."""
        formset = self.formsets[name]
        children = list(getattr(self.instance, name).all())
        shown = visible_children(self.for_user, self.instance, children)
        self.hidden_children[name] = [child for child in children if child not in shown]
        model = type(formset).model
        known = model.objects.visible_to(self.for_user)
        rebuilt = only_known_children(type(formset), known)(
            self.data if self.is_bound else None,
            self.files if self.is_bound else None,
            instance=self.instance,
            prefix=formset.prefix,
            queryset=FakeQuerySet(model, shown),
            form_kwargs=formset.form_kwargs,
        )
        rebuilt.form = formset.form
        self.formsets[name] = rebuilt

    def clean(self) -> dict[str, Any]:
        """Find files a media item would show to a wider audience; ask to confirm them."""
        cleaned = super().clean()
        if self.for_user is None or "media_items" not in self.formsets:
            return cleaned
        self.formsets["media_items"].is_valid()  # the items are checked after the record
        self.widenings = self.find_widenings(cleaned)
        if self.widenings and not cleaned.get("confirm_wider_audience"):
            files = "; ".join(
                gettext("“%(file)s” to %(audience)s")
                % {"file": widening.file, "audience": describe_audience(widening.tokens)}
                for widening in self.widenings
            )
            raise ValidationError(
                gettext(
                    "These files are kept for fewer people elsewhere in the archive, and "
                    "this record would show them to more: %(files)s. Confirm below to do so, "
                    "or choose another protocol for the media item."
                )
                % {"files": files}
            )
        return cleaned

    def find_widenings(self, cleaned: dict[str, Any]) -> list[Widening]:
        """The files the media items as submitted would show to people who may not see them."""
        communities = [group.pk for group in self.people(cleaned, "communities")]
        custodians = [user.pk for user in self.people(cleaned, "custodians")]
        protocol = cleaned.get("protocol") or self.instance.protocol
        record_tokens = audience_of(protocol, communities, custodians)
        record_changed = bool(set(self.changed_data) & {"protocol", "communities", "custodians"})
        found = []
        for form in self.formsets["media_items"].forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            if form.instance.pk and not record_changed and not form.has_changed():
                continue  # as it was: any widening was confirmed when it was made
            item_tokens = audience_of(data.get("protocol", ""), communities, custodians)
            tokens = both(item_tokens, record_tokens)
            for field in FILE_FIELDS:
                chosen = data.get(field)
                if chosen is None:
                    continue
                wider = widened_audience(
                    tokens, current_audience(field, chosen.pk, self.instance.pk)
                )
                if wider:
                    found.append(Widening(chosen, wider))
        return found

    def people(self, cleaned: dict[str, Any], name: str) -> list[Model]:
        """The record's communities or custodians as submitted (as stored if not in the form)."""
        if name in cleaned:
            return list(cleaned[name] or ())
        return list(getattr(self.instance, name).all()) if self.instance.pk else []

    def save(self, commit: bool = True) -> HeritageRecord:
        """Save what the editor changed; keep hidden children; log confirmed widenings."""
        record = super().save(commit=False)
        for name, hidden in self.hidden_children.items():
            manager = getattr(record, name)
            kept = list(manager.all())
            manager.add(*[child for child in hidden if child not in kept])
        if commit:
            record.save()
            self._save_m2m()
        for widening in self.widenings:
            log(
                instance=widening.file,
                action=WIDENED_ACTION,
                user=self.for_user,
                data={"record": record.pk, "audience": sorted(widening.tokens)},
            )
        return record


def only_known_children(
    formset_class: type[BaseChildFormSet], known: QuerySet
) -> type[BaseChildFormSet]:
    """``formset_class``, whose forms' hidden ``id`` names only children the editor may see (a
    copy posts the ids of the children it copies): any other id is refused like a missing one."""

    class KnownChildren(formset_class):
        def add_fields(self, form: forms.Form, index: int | None) -> None:
            super().add_fields(form, index)
            field = form.fields.get(self.model._meta.pk.name)
            if isinstance(field, ModelChoiceField):
                field.queryset = known

    return KnownChildren
