"""One way to turn an analysis' warnings and errors into notes a reader sees (report sections,
and the parts of a questionnaire-layer battery that may fail on their own)."""

from __future__ import annotations

import warnings

from .errors import SurveykitError, SurveykitWarning

__all__ = ["caught"]

# what a part of a report or battery may fail with without stopping the rest: data and option
# errors, a missing file (a theme dictionary), a missing optional dependency (a word cloud)
FAILURES = (SurveykitError, ValueError, FileNotFoundError, ImportError)


def caught(notes: list, fn, *args, reraise: type[Exception] | tuple = (), **kwargs):
    """Call ``fn(*args, **kwargs)``; return its result, or None when it fails.

    The failure (``'<fn name>: <message>'``) and every :class:`SurveykitWarning` raised on the
    way (once each) are appended to ``notes``. Exceptions of the types ``reraise`` propagate
    (a caller's "this analysis does not apply").
    """
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always", SurveykitWarning)
        try:
            result = fn(*args, **kwargs)
        except FAILURES as exc:
            if isinstance(exc, reraise):
                raise
            result = None
            failure = [f"{getattr(fn, '__name__', 'analysis')}: {exc}"]
        else:
            failure = []
    for message in dict.fromkeys(str(w.message) for w in records if issubclass(w.category, SurveykitWarning)):
        if message not in notes:
            notes.append(message)
    notes += failure
    return result
