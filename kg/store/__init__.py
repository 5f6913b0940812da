"""The on-disk Oxigraph store: loading, opening and swapping it in (load), querying it (query)."""
