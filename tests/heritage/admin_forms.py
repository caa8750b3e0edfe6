"""Posting admin forms as a browser would: the fields of the page, as shown, with changes."""

from bs4 import BeautifulSoup


def editor_form(response):
    """The page's main editing form."""
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.find("form", id="w-editor-form") or max(
        soup.find_all("form"), key=lambda form: len(form.find_all(["input", "select", "textarea"]))
    )


def form_action(response) -> str:
    """Where the page's editing form is posted."""
    return editor_form(response).get("action")


def form_data(response) -> dict[str, list[str]]:
    """What a browser would submit from the page's main editing form, unchanged."""
    form = editor_form(response)
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or "__prefix__" in name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.name == "textarea":
            value = [field.text.removeprefix("\n")]
        elif field.name == "select":
            chosen = [option.get("value", "") for option in field.find_all("option", selected=True)]
            if not chosen and not field.has_attr("multiple"):
                first = field.find("option")
                chosen = [first.get("value", "")] if first else []
            value = chosen
        elif field.get("type") in ("checkbox", "radio"):
            value = [field.get("value", "on")] if field.has_attr("checked") else []
        else:
            value = [field.get("value", "")]
        data.setdefault(name, []).extend(value)
    return data


def add_inline(data: dict[str, list[str]], prefix: str, **fields: str) -> int:
    """Append one inline form to ``prefix`` (e.g. ``media_items``); returns its index."""
    index = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data[f"{prefix}-TOTAL_FORMS"] = [str(index + 1)]
    data[f"{prefix}-{index}-id"] = [""]
    data[f"{prefix}-{index}-ORDER"] = [str(index + 1)]
    data[f"{prefix}-{index}-DELETE"] = [""]
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = [str(value)]
    return index


def errors(response) -> list[str]:
    """The error messages a page shows, in order."""
    soup = BeautifulSoup(response.content, "html.parser")
    found = soup.select(".error-message, .help-critical, .w-field__errors, .errorlist li")
    return [" ".join(element.get_text().split()) for element in found]
