"""Small self-contained HTML pages for the Snakemake report (tables, headings, text).

The report embeds each HTML result in a frame of its own, so every page carries
its own style sheet and needs no external file.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import pandas as pd

__all__ = ["html_heading", "html_page", "html_paragraph", "html_table"]

_STYLE = """
body { font-family: sans-serif; font-size: 13px; margin: 1em; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; text-align: left; }
th { background: #eee; }
tr.hypothesis td { background: #f3f3fb; font-weight: bold; border-top: 2px solid #666; }
td.yes { color: #1a7f37; } td.no { color: #b42318; } td.open { color: #7a7a7a; }
td.mixed { color: #b26b00; }
"""


def html_table(frame: pd.DataFrame, row_classes: Sequence[str] | None = None,
               cell_class: Callable[[str, str], str] | None = None) -> str:
    """An HTML table of a data frame, every value escaped.

    Parameters
    ----------
    frame : DataFrame
        Shown as text (``str`` of each value; NaN as empty).
    row_classes : sequence of str, optional
        CSS class of each row.
    cell_class : callable, optional
        ``(column, text) -> CSS class`` of a cell ("" for none).

    Returns
    -------
    str
    """
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for i, values in enumerate(frame.itertuples(index=False)):
        cells = []
        for column, value in zip(frame.columns, values, strict=True):
            text = "" if isinstance(value, float) and value != value else str(value)
            css = cell_class(str(column), text) if cell_class else ""
            attr = f' class="{css}"' if css else ""
            cells.append(f"<td{attr}>{html.escape(text)}</td>")
        attr = f' class="{row_classes[i]}"' if row_classes else ""
        rows.append(f"<tr{attr}>{''.join(cells)}</tr>")
    return (f"<table><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(rows)
            + "\n</tbody></table>")


def html_heading(text: str, level: int = 2) -> str:
    """An escaped heading."""
    return f"<h{level}>{html.escape(text)}</h{level}>"


def html_paragraph(text: str) -> str:
    """An escaped paragraph."""
    return f"<p>{html.escape(text)}</p>"


def html_page(title: str, blocks: Sequence[str]) -> str:
    """A complete HTML document: the title as heading, then the blocks (already HTML).

    Parameters
    ----------
    title : str
    blocks : sequence of str
        HTML fragments, e.g. from :func:`html_table`.

    Returns
    -------
    str
    """
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>\n"
            f"<body>{html_heading(title, 1)}\n" + "\n".join(blocks) + "\n</body></html>\n")
