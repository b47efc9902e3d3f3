"""Write: the site's files, bundles and packages, never outside the output folder."""
