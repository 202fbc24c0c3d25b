"""Assets: thin wrappers over the library's build, returning metadata for the UI."""

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from archive_etl.build import build
from pipelines.defs.resources import ArchivePaths


@asset(
    group_name="archive",
    description="The Data Package built from the raw files (source_file, article, paragraph, metric).",
)
def datapackage(context: AssetExecutionContext, paths: ArchivePaths) -> MaterializeResult:
    result = build(paths.input_path, paths.output_path)
    t = result.tables
    context.log.info("built %s in %.2f s", result.output, result.seconds)
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(result.output)),
            "files_seen": result.files,
            "articles": t.article.height,
            "duplicates": result.count("duplicate"),
            "rejected": result.count("rejected"),
            "paragraphs": t.paragraph.height,
            "metrics": t.metric.height,
            "seconds": round(result.seconds, 3),
        }
    )
