"""``/__cycle__/``: recent requests as a waterfall of the stages (DEBUG only).

Each request is drawn as rows of bars on one time axis: body read, every
middleware layer (its bar spans the way in and the way out), resolve, view,
every SQL query, template renders, and send. The handler answers this path
itself, before the onion, and only when ``DEBUG`` is on.
"""

from __future__ import annotations

import time
from html import escape
from typing import TYPE_CHECKING

from asgi_cycle.core.tracing import CYCLE_PAGE_PATH, Trace, recent

if TYPE_CHECKING:
    from asgi_cycle.http import HttpResponse

COLOURS = {
    "body": "#9e9e9e",
    "mw": "#7e57c2",
    "resolve": "#26a69a",
    "view": "#42a5f5",
    "db": "#ef6c00",
    "template": "#66bb6a",
    "send": "#8d6e63",
}

_STYLE = (
    "body{font:13px/1.4 system-ui,sans-serif;margin:1.5em}h2{font-size:15px;margin:1.5em 0 .3em}"
    ".row{display:flex;align-items:center;height:18px}.label{width:22em;overflow:hidden;"
    "white-space:nowrap;text-overflow:ellipsis;font-family:monospace}.axis{position:relative;"
    "flex:1;height:12px;background:#f4f4f4}.bar{position:absolute;height:12px;min-width:1px}"
    ".ms{width:6em;text-align:right;font-family:monospace}.legend span{margin-right:1em}"
)


def render_trace(trace: Trace) -> str:
    """The HTML waterfall of one request."""
    total = trace.total or max((s.end for s in trace.spans), default=0.0) or 1e-9
    rows = []
    for span in sorted(trace.spans, key=lambda s: (s.start, -s.duration)):
        left = 100 * span.start / total
        width = max(100 * span.duration / total, 0.2)
        indent = "&nbsp;" * 2 * max(span.depth - 1, 0)
        label = f"{indent}{escape(span.stage)} {escape(span.name)}"
        rows.append(
            f'<div class="row"><div class="label" title="{escape(span.name)}">{label}</div>'
            f'<div class="axis"><div class="bar" style="left:{left:.2f}%;width:{width:.2f}%;'
            f'background:{COLOURS.get(span.stage, "#555")}"></div></div>'
            f'<div class="ms">{span.duration * 1000:.2f} ms</div></div>'
        )
    when = time.strftime("%H:%M:%S", time.localtime(trace.started_at))
    timing = escape(trace.server_timing())
    return (
        f"<h2>{escape(trace.method)} {escape(trace.path)} &rarr; {trace.status} "
        f"in {total * 1000:.2f} ms <small>({when}; {timing})</small></h2>" + "".join(rows)
    )


def cycle_page() -> HttpResponse:
    """The page: newest request first."""
    from asgi_cycle.http import HttpResponse

    traces = list(recent)[::-1]
    legend = "".join(
        f'<span style="color:{colour}">&#9632; {stage}</span>' for stage, colour in COLOURS.items()
    )
    body = "".join(render_trace(t) for t in traces) or "<p>No requests traced yet.</p>"
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Request cycle</title>'
        f"<style>{_STYLE}</style></head><body><h1>Recent requests</h1>"
        f'<p class="legend">{legend}</p>{body}</body></html>'
    )
    return HttpResponse(html, content_type="text/html; charset=utf-8")


__all__ = ["CYCLE_PAGE_PATH", "cycle_page", "render_trace"]
