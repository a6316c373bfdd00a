"""View helpers shared by every app: the permission decorator and domain errors on forms."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from .errors import DomainError, ValidationError

PUBLIC = "public"


def requires(action: str):
    """Allow the view only to a signed-in member whose role may take `action`.

    The action is kept on the view (`charter_action`) so that the permission sweep can find every
    route's row in the matrix.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.actor is None:
                return render(request, "no_organization.html", status=403)
            request.actor.require(action)
            return view(request, *args, **kwargs)

        wrapped.charter_action = action
        return wrapped

    return decorator


def public(view):
    view.charter_action = PUBLIC
    return view


def call_with_form(form, service, **kwargs):
    """Run a service for a bound, valid form; put its validation errors beside the fields.

    Returns the service's result, or None when it refused the input (the form then has the errors).
    """
    try:
        return service(**kwargs)
    except ValidationError as exc:
        _add_errors(form, exc)
        return None


def _add_errors(form, exc: DomainError) -> None:
    if not exc.errors:
        form.add_error(None, exc.message)
        return
    for field, messages in exc.errors.items():
        name = (
            field
            if field in form.fields
            else field.removesuffix("_id")
            if field.removesuffix("_id") in form.fields
            else None
        )
        for message in messages:
            form.add_error(name, message)
