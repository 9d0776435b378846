"""View decorators shared by the apps."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def secretariat_required(view):
    """A page only the secretariat may open: others get 403 with a Persian message."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_secretariat:
            raise PermissionDenied(_("Only the secretariat may do this."))
        return view(request, *args, **kwargs)

    return wrapper
