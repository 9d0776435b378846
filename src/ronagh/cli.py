"""The `ronagh` console script (SPEC 7). Every sub-command is a Django management command;
this wrapper only sets the environment each one expects. The console's digit rule and progress
bars are `core.console`'s (every command derives from its `Command`)."""

from __future__ import annotations

import os
import sys

COMMANDS = {
    "demo": "demo",
    "serve": "serve",
    "adduser": "adduser",
    "import-plan": "import_plan",
    "export-plan": "export_plan",
    "check-plan": "check_plan",
    "import-units": "import_units",
    "import-indicators": "import_indicators",
    "export-units": "export_units",
    "backtest": "backtest",
    "remind": "remind",
    "report": "report",
    "bale-poll": "bale_poll",
}

USAGE = """ronagh — رونق

  ronagh demo [--year YYYY] [--seed N] [--reset] [--no-serve] [--host H] [--port P]
                                           demo database, users and site
  ronagh serve [--host H] [--port P] [--workers N]
  ronagh adduser USERNAME --role ROLE [--agency NAME_OR_CODE] [--province CODE] [--password-stdin]
  ronagh import-plan FILE.xlsx --province CODE --year YYYY [--dry-run] [--create-agencies]
  ronagh export-plan --province CODE --year YYYY -o FILE.xlsx
  ronagh check-plan --province CODE --year YYYY   the plan quality check
  ronagh remind [--date YYYY/MM/DD] [--dry-run]
                                           the daily job: reminders, escalations, digest and
                                           the governor's weekly brief
  ronagh import-units FILE.xlsx --province CODE [--dry-run]
  ronagh import-indicators FILE.xlsx [--dry-run]   and rescore the months it touches
  ronagh export-units --province CODE -o FILE.xlsx [--indicators]
  ronagh backtest [--json] [--province CODE] [--save]   the early warning's honest backtest
  ronagh report accountability --as-of YYYY/MM/DD --format pdf|xlsx -o FILE
  ronagh report brief --as-of YYYY/MM/DD --format pdf|xlsx -o FILE
  ronagh bale-poll [--once] [--wait S]     the Bale bot: fetch and process its messages
  ronagh manage COMMAND …                  any Django management command
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "demo":
        # The demo is a development site: DEBUG on (SPEC 9), a local SQLite unless told otherwise.
        os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ronagh.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 — reads the settings: a missing SECRET_KEY …
    except ImproperlyConfigured as exc:
        # … is one line in the site's language, not a traceback.
        sys.stderr.write(f"ronagh: {exc}\n")
        return 2

    if command == "manage":
        execute_from_command_line(["ronagh manage", *rest])
        return 0
    if command not in COMMANDS:
        sys.stderr.write(f"ronagh: unknown command '{command}'\n\n{USAGE}")
        return 2
    execute_from_command_line(["ronagh", COMMANDS[command], *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
