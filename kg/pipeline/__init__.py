"""The build, the only code that joins the stages: articles -> extractions -> quads -> outputs
(build), the incremental cache (cache) and extraction on a Dask cluster (distributed)."""
