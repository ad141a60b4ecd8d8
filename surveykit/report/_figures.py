"""FigureWriter: a report's figures are saved in a second process while its sections go on.

Saving is most of a figure's cost (a layout pass, a 300-dpi raster, an SVG, the embedded
screen image: about 0.5 s of CPU a figure, 34 figures in the example report) and it needs
nothing from the sections that follow, so it runs beside them on the machine's other core.
A figure is pickled to the worker (matplotlib figures pickle, fonts pinned by
:func:`surveykit.plotting._style.use_cjk_fonts` included); the worker saves it under
surveykit's figure style and returns the embedded image. The process is started for one
report and stopped when the report is written; where a process cannot be started, figures
are saved in the calling process instead (the same files).
"""

from __future__ import annotations

import os
from concurrent.futures import Future
from pathlib import Path

from ._format import figure_png

__all__ = ["FigureWriter", "save_figure"]


def _start_worker() -> None:
    from threadpoolctl import threadpool_limits

    from ..plotting._fonts import cjk_font_family

    cjk_font_family()  # register the bundled CJK font in the worker's font manager too
    threadpool_limits(limits=1, user_api="blas")  # the report's own process has the other core


def save_figure(fig, path: Path) -> str:
    """Save ``fig`` (PNG, SVG) under surveykit's figure style; return the embedded image. The same
    in the worker and in the calling process."""
    from ..plotting import figure_style

    with figure_style():  # the rcParams read at draw time (minus sign, fonts) as the figure was made
        return figure_png(fig, path)


class FigureWriter:
    """Save figures (PNG, SVG, embedded image) in a worker process; a context manager.

    Parameters
    ----------
    parallel : bool, default True
        Use a worker process when the machine has more than one CPU. False saves each
        figure when it is submitted.
    """

    def __init__(self, parallel: bool = True):
        self._pool = None
        if parallel and (os.cpu_count() or 1) > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            try:  # spawn: a fork would copy the caller's threads (BLAS, progress bars) mid-state
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_start_worker)
            except (OSError, ValueError, NotImplementedError):
                self._pool = None

    def submit(self, fig, path: Path) -> Future:
        """Save ``fig`` at ``path`` (``.png``, and ``.svg`` beside it); the future's result is the
        embedded image (base64 PNG)."""
        if self._pool is not None:
            return self._pool.submit(save_figure, fig, path)
        done: Future = Future()
        done.set_result(save_figure(fig, path))
        return done

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> FigureWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
