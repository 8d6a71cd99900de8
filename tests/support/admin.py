"""The admin's forms read as a browser would submit them, and edits posted through them
(shared by the editors', security and comments tests)."""

from django.test import TestCase

from tests.support.html import parse_html, text_of


def admin_form(response):
    """The admin's model form on the page (the POST form with the most fields)."""
    assert response.status_code == 200, response.status_code
    forms = [f for f in parse_html(response.content).iter("form") if f.get("method") == "post"]
    assert forms, "no POST form on the page"
    return max(forms, key=lambda f: len(list(f.iter("input"))) + len(list(f.iter("textarea"))))


def form_data(response):
    """What a browser would submit from the admin form as it stands (no submit button)."""
    data = {}
    form = admin_form(response)
    for element in form.iter():
        name = element.get("name")
        if not name or element.get("disabled") is not None:
            continue
        if element.tag == "input":
            kind = (element.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio") and element.get("checked") is None:
                continue
            default = "on" if kind in ("checkbox", "radio") else ""
            data.setdefault(name, []).append(element.get("value", default))
        elif element.tag == "textarea":
            # html5lib, like a browser, drops the newline right after <textarea>.
            data.setdefault(name, []).append(element.text or "")
        elif element.tag == "select":
            options = list(element.iter("option"))
            chosen = [o for o in options if o.get("selected") is not None]
            if not chosen and options and element.get("multiple") is None:
                chosen = options[:1]
            for option in chosen:
                value = option.get("value")
                data.setdefault(name, []).append(value if value is not None else text_of(option))
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


def textarea(response, name):
    """The text of a textarea in the admin form, as the browser shows it."""
    for element in admin_form(response).iter("textarea"):
        if element.get("name") == name:
            return element.text or ""
    raise AssertionError(f"no textarea {name!r} in the form")


def form_errors(response):
    """The error messages shown on an admin form page, as text."""
    tree = parse_html(response.content)
    found = []
    for element in tree.iter():
        classes = (element.get("class") or "").split()
        if element.tag == "ul" and "errorlist" in classes:
            found += [text_of(li) for li in element.iter("li")]
    return found


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def history_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/history/"


def post(client, url, data):
    """POST as a real request would: its on-commit work (retiring cached pages, the public
    change log) runs once the response is done, as after the request's commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data)


def post_change(client, obj, opened=None, **changes):
    """Open obj's change form (or use `opened`, an earlier GET), change fields, submit.

    A change set to None leaves the field out of the POST."""
    opened = opened or client.get(change_url(obj))
    data = form_data(opened)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return post(client, change_url(obj), data)
