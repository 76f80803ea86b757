"""A Markdown page as a standalone HTML page: what ``snakemake --report`` shows of a generated page (it embeds HTML
items; Markdown would only be offered as a download). Rendered by the ``markdown`` package with its tables."""

from __future__ import annotations

import html

STYLE = ("body{font-family:sans-serif;font-size:14px;margin:1.5em;max-width:110em}"
         "table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #bbb;padding:3px 6px;"
         "vertical-align:top;text-align:left}th{background:#eee}code{font-size:0.95em}")


def html_page(markdown_text: str, title: str) -> str:
    import markdown

    body = markdown.markdown(markdown_text, extensions=["tables"])
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style></head><body>{body}</body></html>\n")
