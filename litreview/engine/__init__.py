"""Running a build: the pipeline, caches, worker processes and atomic output."""
