#!/usr/bin/env python3
"""Draws bench/results/e2e.svg from bench/results/e2e-*.tsv: median wall time and peak RSS of
parquet-ingest and DuckDB per data set, as grouped bars. Standard library only."""
import csv, glob, os, statistics, sys

here = os.path.dirname(os.path.abspath(__file__))
files = sorted(glob.glob(os.path.join(here, "results", "e2e-*.tsv")))
data = []
for f in files:
    rows = list(csv.DictReader(open(f), delimiter="\t"))
    name = os.path.basename(f)[4:-4]
    med = {}
    for tool in ("parquet-ingest", "duckdb"):
        sel = [r for r in rows if r["tool"] == tool]
        med[tool] = (statistics.median(float(r["wall_s"]) for r in sel),
                     statistics.median(float(r["peak_rss_kb"]) for r in sel) / 1024)
    data.append((name, med))

W, H, top, bottom, left = 760, 340, 40, 60, 60
colors = {"parquet-ingest": "#2b6cb0", "duckdb": "#dd8b00"}
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>']
panels = [("median wall time (s)", 0), ("median peak RSS (MiB)", 1)]
pw = (W - left) / 2
for p, (title, idx) in enumerate(panels):
    x0 = left + p * pw
    vmax = max(m[t][idx] for _, m in data for t in m) * 1.15
    ph = H - top - bottom
    out.append(f'<text x="{x0 + pw / 2 - 60}" y="20" font-weight="bold">{title}</text>')
    out.append(f'<line x1="{x0}" y1="{top + ph}" x2="{x0 + pw - 20}" y2="{top + ph}" stroke="black"/>')
    group = (pw - 40) / max(1, len(data))
    for g, (name, med) in enumerate(data):
        gx = x0 + 10 + g * group
        for k, tool in enumerate(("parquet-ingest", "duckdb")):
            v = med[tool][idx]
            h = ph * v / vmax
            bx = gx + 10 + k * (group / 2 - 10)
            bw = group / 2 - 20
            out.append(f'<rect x="{bx:.1f}" y="{top + ph - h:.1f}" width="{bw:.1f}" height="{h:.1f}" fill="{colors[tool]}"/>')
            out.append(f'<text x="{bx:.1f}" y="{top + ph - h - 4:.1f}">{v:.1f}</text>')
        out.append(f'<text x="{gx + group / 2 - 20:.1f}" y="{top + ph + 18}">{name}</text>')
for k, tool in enumerate(("parquet-ingest", "duckdb")):
    out.append(f'<rect x="{left + k * 140}" y="{H - 22}" width="12" height="12" fill="{colors[tool]}"/>')
    out.append(f'<text x="{left + k * 140 + 18}" y="{H - 12}">{tool}</text>')
out.append("</svg>")
path = os.path.join(here, "results", "e2e.svg")
open(path, "w").write("\n".join(out) + "\n")
print("wrote", path)
