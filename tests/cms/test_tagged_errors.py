"""Form errors shown with the language they are in, plural ones (Django's length limits)
included: those rendered empty before."""

from django import forms
from django.utils import translation

from cms.templatetags.cms_tags import tagged_errors


class Short(forms.Form):
    text = forms.CharField(min_length=10, max_length=20)
    topic = forms.ChoiceField(choices=[("health", "Health")])


def errors(language, **data):
    with translation.override(language):
        form = Short(data)
        form.is_valid()
        return {name: [(str(m), m.lang) for m in tagged_errors(form[name].errors)] for name in data}


def test_a_plural_error_is_shown_whole_in_the_readers_language():
    assert errors("vi", text="Giúp", topic="health")["text"] == [
        ("Giá trị này phải có ít nhất 10 kí tự (hiện có 4)", "vi")
    ]
    assert errors("en", text="x" * 21, topic="health")["text"] == [
        ("Ensure this value has at most 20 characters (it has 21).", "en")
    ]


def test_a_plural_error_without_the_readers_catalogue_says_which_language_it_shows():
    (shown,) = errors("hmn", text="Giúp", topic="health")["text"]
    assert shown in {
        ("Giá trị này phải có ít nhất 10 kí tự (hiện có 4)", "vi"),
        ("Ensure this value has at least 10 characters (it has 4).", "en"),
    }
    assert shown[0]  # never empty


def test_a_singular_error_keeps_its_language_as_before():
    assert errors("vi", text="x" * 12, topic="nope")["topic"] == [
        ("Hãy chọn một lựa chọn hợp lệ. nope không phải là một trong các lựa chọn khả thi.", "vi")
    ]
