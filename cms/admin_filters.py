"""The filters of an admin listing, read from its query string.

A query string may hold anything, a NUL or five thousand letters included. A filter not
understood is dropped: never shown back in an error message, and never carried into the
listing's links, which are made from what was understood (``query``).
"""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.forms.utils import ErrorDict


class FilterForm(forms.Form):
    """A listing's filters; bind it to ``request.GET``."""

    def full_clean(self) -> None:
        """Check the filters, keeping no error: one not understood is simply not applied."""
        super().full_clean()
        self._errors = ErrorDict()

    def value(self, name: str) -> Any:
        """The cleaned value of filter ``name``, or empty when it was not given or understood."""
        if name not in self.fields or not self.is_bound:
            return ""
        self.is_valid()
        return self.cleaned_data.get(name) or ""

    def query(self, **changes: Any) -> str:
        """``?`` and the query string of the filters understood, with ``changes`` (``None``
        drops a key): the address of this listing filtered otherwise, or on another page."""
        values: dict[str, Any] = {}
        for name in self.fields:
            value = self.value(name)
            if value:
                values[name] = "1" if value is True else getattr(value, "pk", value)
        for name, value in changes.items():
            if value is None:
                values.pop(name, None)
            else:
                values[name] = value
        return "?" + urlencode(values)
