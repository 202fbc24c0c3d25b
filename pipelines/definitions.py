"""The code location's table of contents."""

from dagster import Definitions

from pipelines.defs.assets import datapackage
from pipelines.defs.resources import ArchivePaths

defs = Definitions(assets=[datapackage], resources={"paths": ArchivePaths()})
