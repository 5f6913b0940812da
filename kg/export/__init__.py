"""Writers for each output: RDF files, the Oxigraph store, the HTML graph."""
