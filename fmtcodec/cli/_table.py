"""``decode --to table``: the records laid out to be read in the terminal's width.

* A table, when its columns fit: at their natural widths if those fit; else the free-text columns
  (names, comments, tags, an error's description) are wrapped between words, widest first, never
  narrower than their longest word.  Phone numbers, e-mail addresses, ids, dates and counts are
  never broken, nor is a column's name.
* One block per record when even that is too wide (a contact with most of its 11 fields set, at 80
  columns): the field names down the left, each value beside its name, fields without a value left
  out.  Nothing is cut in the middle of a word unless a single word is wider than the terminal.

The width is the terminal's; in a pipe or a file it is ``COLUMNS`` when that is set, else the width
the table needs, so ``decode --to table | less -S`` shows every row on one line.  Columns empty in
every record are left out of the table and named under it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

PROSE_FIELDS = frozenset(
    {"name", "first_name", "last_name", "middle_name", "comments", "comment", "tags", "error", "meaning"}
)
"""Fields of free text: their column may wrap between words.  Any other column keeps each value on
one line (``+7 (495) 123-45-67`` is one phone number, not three words)."""

_UNLIMITED = 1_000_000
_BLOCK_INDENT = 2
_BLOCK_GAP = 2


def output_width() -> int | None:
    """The columns to lay out in: the terminal's; else ``COLUMNS`` if set; else ``None`` (no limit)."""
    from rich.console import Console

    if sys.stdout.isatty():
        return Console(file=sys.stdout).size.width
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdecimal() and int(columns) > 0 else None


def cell_text(value: Any) -> str:
    return "" if value is None else str(value)


def _longest_line(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in text.splitlines()), default=0)


def _longest_word(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(word) for word in text.split()), default=0)


def frame_width(count: int) -> int:
    """The columns a table's borders and padding take: ``│ a │ b │`` is 3 a column, plus 1."""
    return 3 * count + 1


Rows = Sequence[Sequence[str]]
"""The text of each cell, row by row, in the order of the columns."""


def column_widths(columns: Sequence[str], rows: Rows, width: int | None) -> list[int] | None:
    """The content width of each column of a table at most ``width`` wide, or ``None`` when no
    such table keeps every column name, every single value and every word whole."""
    cells = [[row[index] for row in rows] for index in range(len(columns))]
    natural = [
        max([_longest_line(name), *map(_longest_line, column)])
        for name, column in zip(columns, cells, strict=True)
    ]
    if width is None or sum(natural) + frame_width(len(columns)) <= width:
        return natural
    narrowest = [
        max([_longest_line(name), *map(_longest_word, column)]) if name in PROSE_FIELDS else wide
        for name, column, wide in zip(columns, cells, natural, strict=True)
    ]
    excess = sum(natural) + frame_width(len(columns)) - width
    if sum(natural) - sum(narrowest) < excess:
        return None
    widths = list(natural)
    for _ in range(excess):  # one column at a time from the widest free-text one
        index = max(
            (index for index in range(len(columns)) if widths[index] > narrowest[index]),
            key=lambda index: (widths[index], -index),
        )
        widths[index] -= 1
    return widths


def print_records(columns: Sequence[str], rows: Rows, heading: str, empty: Sequence[str]) -> None:
    """Print ``rows`` under ``heading`` as a table, or as one block per record when a table does not
    fit; ``empty`` names the columns left out because no record has a value there."""
    from rich.console import Console
    from rich.text import Text

    width = output_width()
    console = Console(file=sys.stdout, width=width or _UNLIMITED)
    _say(console, Text(heading, style="bold"))
    widths = column_widths(columns, rows, width)
    if widths is not None:
        _print_table(console, columns, rows, widths)
    else:
        _print_blocks(console, columns, rows)
    if empty:
        if widths is None:
            console.print()
        _say(console, Text(f"empty in every record: {', '.join(empty)}", style="dim"))


def _wrapped(console: Console, text: Text, width: int) -> list[Text]:
    """``text`` wrapped between words in ``width`` columns (a longer word folded), without the
    spaces a line ends in."""
    lines = list(text.wrap(console, width, overflow="fold"))
    for line in lines:
        line.rstrip()
    return lines


def _say(console: Console, text: Text) -> None:
    for line in _wrapped(console, text, console.width):
        console.print(line, soft_wrap=True)


def _print_table(console: Console, columns: Sequence[str], rows: Rows, widths: list[int]) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False)
    for name, column_width in zip(columns, widths, strict=True):
        table.add_column(Text(name), width=column_width, overflow="fold")
    for row in rows:
        table.add_row(*(Text(value) for value in row))
    console.print(table)


def _print_blocks(console: Console, columns: Sequence[str], rows: Rows) -> None:
    from rich.text import Text

    label_width = max(len(name) for name in columns)
    indent = " " * (_BLOCK_INDENT + label_width + _BLOCK_GAP)
    value_width = max(console.width - len(indent), 1)
    for number, row in enumerate(rows, 1):
        console.print()
        console.print(Text(f"record {number} of {len(rows)}", style="bold"))
        for name, value in zip(columns, row, strict=True):
            if not value:
                continue
            label = f"{' ' * _BLOCK_INDENT}{name:<{label_width}}{' ' * _BLOCK_GAP}"
            for line in _wrapped(console, Text(value), value_width):
                console.print(Text(label) + line, soft_wrap=True)
                label = indent
