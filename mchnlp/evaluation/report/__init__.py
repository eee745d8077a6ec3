"""The evaluation report: `report.md` and a self-contained `report.html` from results.

    from mchnlp.evaluation import evaluate_systems, write_report
    results = evaluate_systems([("model", nlp, "models/x"), ("rules", rules, None)], records)
    write_report(results, "reports/test", context={"command": "mchnlp evaluate", ...})

The first result is the system under test, the others are references (rule baseline,
previous model); each reference gets a comparison section. The HTML has inline CSS
(`report.css`) and its charts embedded as base64 PNG (no external files or scripts); the
Markdown links the same charts, written to `figures/`. Every file is written atomically.

Modules: `blocks` (tables, paragraphs, figures and their formatting), `sections` (one
function per report section), `gallery` (the error gallery), `render` (Markdown, HTML and
the files).
"""

from .gallery import gallery_entries
from .render import render_html, render_markdown, write_atomic, write_report
from .sections import build_sections

__all__ = ["build_sections", "gallery_entries", "render_html", "render_markdown",
           "write_atomic", "write_report"]
