"""collectstatic takes from the npm packages only what the pages load: no source maps, no
unminified or ES-module builds, no TTF or variable fonts (the PDFs read those straight from
node_modules). Keeps a production start quick and the static directory small."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class RonaghStaticFilesConfig(StaticFilesConfig):
    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        "*.map",
        "*.gz",
        "*.d.ts",
        "package.json",
        "echarts.js",
        "echarts.common*",
        "echarts.simple*",
        "echarts.esm*",
        "extension",
        "htmx.js",
        "htmx.amd.js",
        "htmx.cjs.js",
        "htmx.esm*",
        "ext",
        "ttf",
        "variable",
        "misc",
        "Round-Dots",
        "Vazirmatn-Variable-font-face.css",
        "*.md",
        "*.txt",
    ]


# --- the production storage ------------------------------------------------------------------

from whitenoise.storage import CompressedManifestStaticFilesStorage  # noqa: E402


def _without_source_maps(patterns):
    return tuple(
        (
            ext,
            tuple(
                p for p in rules if "sourceMappingURL" not in (p[0] if isinstance(p, tuple) else p)
            ),
        )
        for ext, rules in patterns
    )


class RonaghStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage (hashed names, gzip/Brotli), without following
    the `sourceMappingURL` comments of the npm builds: the source maps are left out of the
    collected files (ignore_patterns above), and a reference to a missing file would stop
    collectstatic."""

    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
