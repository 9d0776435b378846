"""Who may call what: the same roles as the UI (SPEC 1). Object-level scoping is not here but in
the selectors (`visible_plans`, `visible_actions` …) every view starts from, and the services
check the actor again before they write."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions, status

from ronagh.core.errors import Conflict


class IsSecretariat(permissions.BasePermission):
    """Building and communicating plans is the secretariat's (SPEC 1)."""

    @property
    def message(self):
        return _("Only the secretariat may do this.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_secretariat)


class MayReportProgress(permissions.BasePermission):
    """Reading is for every signed-in user (scoped by the selectors); writing a progress report is
    for the secretariat and agency users. The governor and the auditor read only. Whether the
    user's agency is involved in the action is the service's decision."""

    @property
    def message(self):
        return _("Your role may not report progress.")

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return user.is_secretariat or (user.is_agency_user and user.agency_id is not None)


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    @property
    def default_detail(self):
        return _("The object is not in a state that allows this change.")


def from_service_error(exc: Exception) -> Exception:
    """The errors services raise, as the API answers them: ValidationError → 400 with a message
    list per field, PermissionDenied → 403 with its message, Conflict → 409."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        return exceptions.ValidationError(detail)
    if isinstance(exc, DjangoPermissionDenied):
        # DRF's own handler turns it into a bare 403 and drops the message, which the user needs
        # (e.g. the reporting window closed on which date).
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Conflict):
        return ConflictError(str(exc) or None)
    return exc


class ServiceErrorsMixin:
    """For every API view: answer the services' errors with 400/403/409 without a project-wide
    EXCEPTION_HANDLER setting."""

    def handle_exception(self, exc):
        return super().handle_exception(from_service_error(exc))
