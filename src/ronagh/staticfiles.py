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
