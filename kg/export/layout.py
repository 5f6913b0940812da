"""Node positions for a large page, computed in Python so the browser draws at once.

A browser's force simulation of 1,500 nodes takes longer than a reader waits, so
big pages arrive laid out: each connected component becomes a radial tree
around its best-connected node (rings far enough out that no two nodes touch)
and the components are packed in rows, largest first. The result is
deterministic and needs nothing beyond networkx; the page's Physics button can
relax it further.
"""
from __future__ import annotations

import math

import networkx as nx

RING = 110.0  # least distance between two rings of a radial tree
SPACING = 44.0  # least distance between two nodes on one ring
MARGIN = 30.0  # around each component


def layout(graph: nx.MultiDiGraph, nodes: list[str]) -> dict[str, tuple[float, float]]:
    """Positions (x, y) for ``nodes``, whose order ranks them (first = most important).

    >>> layout(nx.MultiDiGraph([("a", "b")]), ["a", "b"])
    {'a': (0.0, 0.0), 'b': (-110.0, 0.0)}
    """
    rank = {node: i for i, node in enumerate(nodes)}
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_edges_from((u, v) for u, v in graph.subgraph(nodes).edges() if u != v)
    components = sorted((sorted(c, key=rank.__getitem__) for c in nx.connected_components(simple)),
                        key=lambda c: (-len(c), rank[c[0]]))
    placed = [_radial(simple, component, rank) for component in components]
    return _pack(placed)


def _radial(graph: nx.Graph, component: list[str], rank: dict[str, int]) -> tuple[dict, float]:
    """A radial tree around the component's first node: local positions and the radius they span.

    Each subtree gets a wedge as wide as its share of the leaves; each ring is far
    enough out that the narrowest wedge on it still leaves SPACING between nodes.
    """
    root = component[0]
    children: dict[str, list[str]] = {root: []}
    depth, order = {root: 0}, [root]
    for node in order:  # breadth first; ``order`` grows as it goes
        for other in sorted(graph[node], key=rank.__getitem__):
            if other not in depth:
                depth[other] = depth[node] + 1
                children[node].append(other)
                children[other] = []
                order.append(other)
    leaves: dict[str, int] = {}
    for node in reversed(order):
        leaves[node] = max(1, sum(leaves[c] for c in children[node]))
    wedge, start = {root: 2 * math.pi}, {root: 0.0}
    narrowest = [2 * math.pi] * (max(depth.values()) + 1)
    for node in order:
        at = start[node]
        for child in children[node]:
            wedge[child], start[child] = wedge[node] * leaves[child] / leaves[node], at
            at += wedge[child]
            narrowest[depth[child]] = min(narrowest[depth[child]], wedge[child])
    radii = [0.0]
    for angle in narrowest[1:]:
        radii.append(max(radii[-1] + RING, SPACING / angle))
    positions = {root: (0.0, 0.0)}
    for node in order[1:]:
        angle, r = start[node] + wedge[node] / 2, radii[depth[node]]
        positions[node] = (r * math.cos(angle), r * math.sin(angle))
    return positions, radii[-1] + MARGIN


def _pack(placed: list[tuple[dict, float]]) -> dict[str, tuple[float, float]]:
    """Shelf-pack the components, largest first, into rows about as wide as the whole is tall."""
    if not placed:
        return {}
    width = max(max(2 * r for _, r in placed), math.sqrt(sum((2 * r) ** 2 for _, r in placed)) * 1.2)
    x = y = row_height = 0.0
    result: dict[str, tuple[float, float]] = {}
    for positions, radius in placed:
        if x and x + 2 * radius > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + radius, y + radius
        for node, (px, py) in positions.items():
            result[node] = (round(cx + px, 1), round(cy + py, 1))
        x += 2 * radius
        row_height = max(row_height, 2 * radius)
    first = placed[0][0]
    ox, oy = result[next(iter(first))]  # the largest component's centre at the origin
    return {node: (round(px - ox, 1), round(py - oy, 1)) for node, (px, py) in result.items()}
