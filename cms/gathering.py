"""Work that many saves in one block ask for, handed over once for the whole block.

Publishing two hundred records in one task saves each of them, and each save asks for its
record to be re-indexed. Inside ``gathered()``, such requests (``gather``) are collected per
kind and handed over together when the block ends, so the apps that react to saves queue one
task per batch instead of one per save. Outside a block, ``gather`` hands nothing over and the
caller does the work at once.
"""

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

Handover = Callable[[list[Any]], None]

_state = threading.local()


@contextmanager
def gathered() -> Iterator[None]:
    """Collect what ``gather`` is given in this block (and blocks inside it), and hand each
    kind's items over once, in the order first given, when the outermost block ends well."""
    outer = getattr(_state, "gathering", None)
    if outer is not None:
        yield
        return
    gathering: dict[Any, tuple[Handover, dict[Any, None]]] = {}
    _state.gathering = gathering
    try:
        yield
    finally:
        _state.gathering = None
    for handover, items in gathering.values():
        handover(list(items))


def gather(kind: Any, items: Iterable[Any], handover: Handover) -> bool:
    """Add ``items`` to those of ``kind`` that ``handover`` gets when the block ends; whether
    a block is collecting (if not, nothing was taken)."""
    gathering = getattr(_state, "gathering", None)
    if gathering is None:
        return False
    _, collected = gathering.setdefault(kind, (handover, {}))
    collected.update(dict.fromkeys(items))
    return True
