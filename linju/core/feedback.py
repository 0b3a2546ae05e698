"""Showing a domain error on a page: as flash messages, or on the form's fields. One place for both."""

from __future__ import annotations

from django.contrib import messages

from .errors import DomainError, errors_by_field


def flash_error(request, error: DomainError) -> None:
    """Flash every message of the error; a 404 is not the page's to explain and is raised on."""
    if error.status == 404:
        raise error
    for items in errors_by_field(error).values():
        for message in items:
            messages.error(request, message)


def add_form_errors(form, error: DomainError) -> None:
    """Put each message on its field when the form has it, otherwise on the form as a whole."""
    for field, items in errors_by_field(error).items():
        name = field if field in form.fields else (field or "").replace(".", "_")  # agent.name: agent_name
        for message in items:
            form.add_error(name if name in form.fields else None, message)
