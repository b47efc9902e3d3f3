"""Build: the steps from a content folder to a site (load, check, plan, render, bundles, exports, write).

``build`` and ``check`` are what the commands call; ``Builder`` keeps what a build may reuse for the next one
(`mooc serve`).
"""

from mooc_builder.build.builder import Builder, build
from mooc_builder.build.checking import check
from mooc_builder.build.options import BuildOptions, BuildResult

__all__ = ["BuildOptions", "BuildResult", "Builder", "build", "check"]
