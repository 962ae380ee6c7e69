"""The names of what the trail records. An entry stores a code; its words are read here, where they were declared
once: each app registers the TextChoices of its actions (code, Chinese words) from its AppConfig.ready, and the
review registry registers each document kind's moves keyed by the model (the entry's object_type), as a move's
words belong to its kind's workflow (dept_approve and hr_approve are both 通过). The audit app imports none of
the apps that declare them. An entry whose action is not known here (one of before) shows what it stores.
"""

from collections.abc import Iterable
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, TextChoices
from django.utils.translation import gettext

CODES: dict[str, str] = {}  # an app's action code -> its words
OWNERS: dict[str, str] = {}  # code -> the TextChoices that declared it
MOVES: dict[tuple[str, str], str] = {}  # (model label, move code) -> the move's words in that kind's workflow


class Entry(Protocol):
    """What a label is read from: an AuditEntry (or one of a migration's historical rows)."""

    action: str
    object_type: str


def _name(choices: type[TextChoices]) -> str:
    return f"{choices.__module__}.{choices.__qualname__}"


def register(choices: type[TextChoices]) -> None:
    """Declare an app's actions; a code another declaration (or a move) already uses is refused."""
    owner, moves = _name(choices), {move for _, move in MOVES}
    for code in choices.values:
        if OWNERS.get(code, owner) != owner:
            raise ImproperlyConfigured(f"审计操作代码「{code}」已由 {OWNERS[code]} 声明（{owner}）。")
        if code in moves:
            raise ImproperlyConfigured(f"审计操作代码「{code}」已是审核操作的代码（{owner}）。")
    for code, words in choices.choices:
        CODES[str(code)], OWNERS[str(code)] = str(words), owner


def register_moves(object_type: str, moves: Iterable[tuple[str, str]]) -> None:
    """Declare the moves (code, words) of a kind of `object_type` (a model's label_lower, as entries store it).

    Kinds sharing a model share its codes: a code must mean the same words in each of them."""
    moves = [(str(code), str(words)) for code, words in moves]
    for code, words in moves:
        if code in CODES:
            raise ImproperlyConfigured(f"审核操作代码「{code}」已由 {OWNERS[code]} 声明为审计操作。")
        if MOVES.get((object_type, code), words) != words:
            raise ImproperlyConfigured(
                f"{object_type} 的审核操作「{code}」已登记为「{MOVES[(object_type, code)]}」，不能再登记为「{words}」。"
            )
    MOVES.update({(object_type, code): words for code, words in moves})


def label(entry_or_code: Entry | str, object_type: str = "") -> str:
    """The words shown for an action: a move's in its kind, else its app's, else what the entry stores."""
    if isinstance(entry_or_code, str):
        code = entry_or_code
    else:
        code, object_type = entry_or_code.action, entry_or_code.object_type
    # The words are kept in Chinese (the msgids): shown in the page's language.
    return gettext(MOVES.get((object_type, code)) or CODES.get(code) or str(code))


def is_known(code: str, object_type: str = "") -> bool:
    return (object_type, code) in MOVES or code in CODES


def shown_as(words: str) -> Q:
    """The entries whose action is shown as `words` (the 审计日志 filter chooses among words, the rows hold codes)."""
    q = Q(action=words)  # rows of before, and actions not known here
    if codes := [code for code, w in CODES.items() if words in (w, gettext(w))]:
        q |= Q(action__in=codes)
    for (object_type, code), w in MOVES.items():
        if words in (w, gettext(w)):
            q |= Q(object_type=object_type, action=code)
    return q
