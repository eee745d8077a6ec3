"""The report's figures, drawn with matplotlib's object API into PNG bytes.

`matplotlib.figure.Figure` with the Agg canvas is used instead of `pyplot`, so making a
report never changes the backend or the global figure state of the caller's session.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np

SYSTEM_COLORS = ("#1f5f9e", "#9e9e9e", "#e08a1e", "#5e8c3a", "#8e5ea2")
DPI = 110


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    # no timestamp/software metadata, so the same numbers give the same bytes
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _errors(values: list[float], cis: list) -> np.ndarray:
    low, high = [], []
    for v, ci in zip(values, cis):
        if not ci or ci[0] is None or ci[1] is None:
            low.append(0.0)
            high.append(0.0)
        else:
            low.append(max(0.0, v - ci[0]))
            high.append(max(0.0, ci[1] - v))
    return np.array([low, high])


def grouped_f1_chart(
    groups: Sequence[str],
    systems: Sequence[str],
    scores: Sequence[Sequence[dict | None]],
    *,
    title: str,
    ylabel: str = "F1",
) -> bytes:
    """Bars of F1 with their bootstrap intervals, one bar per system in each group.

    Args:
        groups: x-axis categories (e.g. entity labels).
        systems: system names (legend), in bar order.
        scores: scores[s][g] is a score dict ("f", "ci") or None (no bar).
        title, ylabel: labels of the chart.
    Returns:
        PNG bytes.
    """
    n_sys = max(1, len(systems))
    fig = _figure(max(5.5, 1.1 * len(groups) + 2), 3.4)
    ax = fig.add_subplot()
    x = np.arange(len(groups))
    width = 0.8 / n_sys
    for s, system in enumerate(systems):
        vals = [(sc or {}).get("f") or 0.0 for sc in scores[s]]
        cis = [(sc or {}).get("ci", {}).get("f") for sc in scores[s]]
        pos = x - 0.4 + width * (s + 0.5)
        color = SYSTEM_COLORS[s % len(SYSTEM_COLORS)]
        bars = ax.bar(
            pos,
            vals,
            width * 0.92,
            label=system,
            color=color,
            yerr=_errors(vals, cis),
            capsize=2.5,
            error_kw={"elinewidth": 0.9, "ecolor": "#333333"},
        )
        for bar, v, sc in zip(bars, vals, scores[s]):
            if sc is None:
                continue
            ax.annotate(
                f"{v:.2f}",
                (bar.get_x() + bar.get_width() / 2, 0.01),
                ha="center",
                va="bottom",
                fontsize=7,
                color="white" if v > 0.12 else "#333333",
                rotation=90,
            )
    ax.set_xticks(x, groups, fontsize=9)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=11)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if len(systems) > 1:
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _png(fig)


def confusion_chart(
    labels: Sequence[str], matrices: Sequence[Sequence[Sequence[int]]], titles: Sequence[str]
) -> bytes:
    """Heat maps of token-level label confusion (rows gold, columns predicted), one per
    system. Colours are row-normalised (the O row would otherwise swamp the rest); cells
    show the raw counts.

    Returns:
        PNG bytes.
    """
    n = len(matrices)
    size = 0.5 * len(labels) + 1.5
    fig = _figure(size * n + 0.6, size)
    axes = fig.subplots(1, n, squeeze=False)[0]
    for ax, matrix, title in zip(axes, matrices, titles):
        m = np.asarray(matrix, dtype=float)
        rows = m.sum(axis=1, keepdims=True)
        norm = np.divide(m, rows, out=np.zeros_like(m), where=rows > 0)
        ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
        for i in range(m.shape[0]):
            for j in range(m.shape[1]):
                if m[i, j]:
                    ax.text(
                        j,
                        i,
                        f"{int(m[i, j])}",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="white" if norm[i, j] > 0.55 else "#222222",
                    )
        ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=8)
        ax.set_yticks(range(len(labels)), labels, fontsize=8)
        ax.set_xlabel("predicted", fontsize=9)
        ax.set_ylabel("gold", fontsize=9)
        ax.set_title(title, fontsize=10)
    return _png(fig)
