"""The build: the pipeline's stages, run by the CLI and by the Dagster assets alike."""

from archive_etl.build.pipeline import BuildResult, build, default_input, source_title

__all__ = ["BuildResult", "build", "default_input", "source_title"]
