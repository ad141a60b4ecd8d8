"""One BLAS thread for the iterative fits on small matrices, and while the report's figure worker runs.

An iterative fit (the SEM engine's Fisher scoring, which CFA uses too) multiplies and solves
matrices of a few dozen rows hundreds of times. Handing each of those to a pool of BLAS threads costs more
than the arithmetic: on a 2-core machine with other work running, the example study's CFA
took 10 s with OpenBLAS's default threads and 1.7 s with one. The report keeps its own
process to one thread while a second process saves its figures, so that the two share the
cores instead of contending for them. The limit holds inside the ``with`` block only; the
caller's setting is restored after it.
"""

from __future__ import annotations

from contextlib import contextmanager

__all__ = ["one_blas_thread"]


@contextmanager
def one_blas_thread():
    """Run the block with the BLAS library limited to one thread, then restore its setting."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield
