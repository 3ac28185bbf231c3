"""Pictures drawn once as SVG, for the page, the PDF and e-mail alike.

Every function here takes plain values (labels already translated by the caller) and
returns a standalone ``<svg>`` string that carries no scripts, no inline styles and no
external resources, so it can be inlined under a strict CSP or embedded by WeasyPrint.
"""

from schakel.core.charts.heatmap import (
    BANDS,
    Band,
    HeatmapScale,
    render_heatmap,
    render_heatmap_pair,
    render_trend_sparkline,
)
from schakel.core.charts.rag import rag_distribution_svg, rag_strip_svg

__all__ = [
    "BANDS",
    "Band",
    "HeatmapScale",
    "rag_distribution_svg",
    "rag_strip_svg",
    "render_heatmap",
    "render_heatmap_pair",
    "render_trend_sparkline",
]
