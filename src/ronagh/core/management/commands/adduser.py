import sys

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ronagh.core import console
from ronagh.core.models import Province
from ronagh.core.services import add_user, find_agency


class Command(console.Command):
    help = "Add a user with a role (SPEC 1): ronagh adduser USERNAME --role ROLE"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True)
        parser.add_argument("--agency", default=None, help="agency name or code")
        parser.add_argument("--province", default=None, help="province code, e.g. qom")
        parser.add_argument("--password-stdin", action="store_true")

    def handle(self, *args, **opts):
        province = None
        if opts["province"]:
            province = Province.objects.filter(code=opts["province"]).first()
            if province is None:
                raise CommandError(
                    _("Unknown province code “%(code)s”.") % {"code": opts["province"]}
                )
        try:
            agency = (
                find_agency(name_or_code=opts["agency"], province=province)
                if opts["agency"]
                else None
            )
            password = sys.stdin.readline().rstrip("\n") if opts["password_stdin"] else None
            user = add_user(
                username=opts["username"],
                role=opts["role"],
                password=password,
                agency=agency,
                province=province,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            _("User “%(u)s” added with the role %(r)s.")
            % {"u": user.username, "r": user.get_role_display()}
        )
