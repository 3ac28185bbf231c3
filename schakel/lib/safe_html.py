"""The few places where Schakel declares a string of HTML safe to print unescaped.

Templates escape every value they print unless it is marked safe. The app draws some HTML in
Python (sanitised Markdown, the SVG charts, and the rows of the long lists, which skip the
template engine for speed: see docs/performance.md), and that HTML has to be marked safe to
reach the page. It is marked here and only here, one function for each kind of producer, so
the trust is stated once with its reason. `make security` runs bandit, which reports any other
`mark_safe` in the code.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.safestring import SafeString, mark_safe

from schakel.lib.markdown import render_markdown


def markdown(text: str) -> SafeString:
    """A user's Markdown rendered and then sanitised by the nh3 allow-list."""
    # render_markdown passes its whole output through nh3 (schakel.lib.markdown.sanitise):
    # only allow-listed tags, attributes and link schemes survive.
    return mark_safe(render_markdown(text or ""))  # nosec B308, B703 # sanitised by nh3


def chart(svg: str) -> SafeString:
    """An SVG drawn by schakel.core.charts.

    Pass only what a chart function returned: those functions escape every text and attribute
    value they write and emit no scripts, styles or external references.
    """
    return mark_safe(svg)  # nosec B308, B703 # schakel.core.charts escapes what it draws


def built(parts: Iterable[str], separator: str = "") -> SafeString:
    """HTML put together by one of the app's row builders (register lists, cockpit, plan
    outline, consolidated report, My work) or another builder of the same kind.

    Pass only markup whose every interpolated value went through `escape`, `format_html`, a
    reversed URL with a numeric id, or another function of this module; user text must never
    reach `parts` raw.
    """
    return mark_safe(separator.join(parts))  # nosec B308, B703 # builders escape every value
