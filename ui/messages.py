"""Turning errors into messages a person can act on, never a traceback.

Every event handler of the three apps is wrapped with :func:`guarded`:
an error that is the user's to fix (``user_error = True``, see
``tryon.errors``) becomes its own one-line message; anything else is
logged with its traceback for the operator and shown as a short apology.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import gradio as gr

from tryon.errors import is_user_error

__all__ = ["INTERNAL_ERROR", "guarded", "message_for"]

logger = logging.getLogger(__name__)

INTERNAL_ERROR = (
    "something went wrong on our side; try again, and if it keeps happening "
    "tell the store"
)

F = TypeVar("F", bound=Callable[..., Any])


def message_for(error: BaseException) -> str:
    """The one line to show a person for ``error``."""
    if is_user_error(error):
        return str(error).splitlines()[0] if str(error) else INTERNAL_ERROR
    return INTERNAL_ERROR


def _to_gradio_error(error: Exception, where: str) -> gr.Error:
    if not is_user_error(error):
        logger.exception("%s failed", where)
    return gr.Error(message_for(error), print_exception=False)


def guarded(function: F) -> F:
    """Wrap an event handler so its errors reach the page as one line.

    Works for plain functions and for generators (streaming handlers).
    ``gr.Error`` raised on purpose passes through unchanged.
    """
    where = function.__qualname__

    if _is_generator(function):

        @functools.wraps(function)
        def generator_wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                yield from function(*args, **kwargs)
            except gr.Error:
                raise
            except Exception as error:
                raise _to_gradio_error(error, where) from None

        return generator_wrapper  # type: ignore[return-value]

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as error:
            raise _to_gradio_error(error, where) from None

    return wrapper  # type: ignore[return-value]


def _is_generator(function: Callable[..., Any]) -> bool:
    import inspect

    return inspect.isgeneratorfunction(function)
