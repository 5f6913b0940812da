"""Node positions for a large page, computed in Python so the browser draws at once.

A browser's force simulation of 1,500 nodes takes longer than a reader waits, so
big pages arrive laid out: each connected component becomes a balloon tree
around its best-connected node (every node's neighbours on a circle around it,
wide enough that they do not touch) and the components are packed in rows,
largest first. The result is
deterministic and needs nothing beyond networkx; the page's Physics button can
relax it further.
"""
from __future__ import annotations

import math

import networkx as nx

NODE = 24.0  # room around a node: half the least distance between two
RING = 90.0  # least distance from a node to its children
MARGIN = 30.0  # around each component


def layout(graph: nx.MultiDiGraph, nodes: list[str]) -> dict[str, tuple[float, float]]:
    """Positions (x, y) for ``nodes``, whose order ranks them (first = most important).

    >>> layout(nx.MultiDiGraph([("a", "b")]), ["a", "b"])
    {'a': (0.0, 0.0), 'b': (90.0, 0.0)}
    """
    rank = {node: i for i, node in enumerate(nodes)}
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_edges_from((u, v) for u, v in graph.subgraph(nodes).edges() if u != v)
    components = sorted((sorted(c, key=rank.__getitem__) for c in nx.connected_components(simple)),
                        key=lambda c: (-len(c), rank[c[0]]))
    placed = [_balloon(simple, component, rank) for component in components]
    return _pack(placed)


def _balloon(graph: nx.Graph, component: list[str], rank: dict[str, int]) -> tuple[dict, float]:
    """A balloon tree around the component's first node: local positions and the radius they span.

    Each node's children sit on a circle around it, each child's whole subtree
    given an arc as wide as that subtree, so hubs get a ring of their own and
    no two subtrees overlap.
    """
    root = component[0]
    children: dict[str, list[str]] = {root: []}
    order = [root]
    for node in order:  # breadth first; ``order`` grows as it goes
        for other in sorted(graph[node], key=rank.__getitem__):
            if other not in children:
                children[node].append(other)
                children[other] = []
                order.append(other)
    radius: dict[str, float] = {}
    ring: dict[str, float] = {}
    for node in reversed(order):
        kids = children[node]
        if not kids:
            radius[node] = NODE
            continue
        widest = max(radius[c] for c in kids)
        ring[node] = max(RING, sum(2 * radius[c] for c in kids) / _arc(node, root), widest + NODE)
        radius[node] = ring[node] + widest
    positions, heading = {root: (0.0, 0.0)}, {root: 0.0}
    for node in order:
        kids, (x, y) = children[node], positions[node]
        if not kids:
            continue
        arc, need = _arc(node, root), sum(2 * radius[c] for c in kids)
        start = heading[node] - arc / 2
        for child in kids:
            share = arc * 2 * radius[child] / need
            heading[child] = start + share / 2
            positions[child] = (x + ring[node] * math.cos(heading[child]), y + ring[node] * math.sin(heading[child]))
            start += share
    return positions, radius[root] + MARGIN


def _arc(node: str, root: str) -> float:
    """The root's children go all round it; others' leave the side towards their parent free."""
    return 2 * math.pi if node == root else 5 * math.pi / 3


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
