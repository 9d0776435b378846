"""The inbox: a user's own notifications, newest first, with mark-as-read (one, or all); and
the profile page, where a user links their Bale chat.
Writes go through services.py; the list starts from selectors.inbox, which never shows another
person's notifications."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ronagh.core.templatetags.ronagh import localize_digits

from . import messenger, selectors, services

PAGE_SIZE = 30


@login_required
@require_safe
def inbox(request):
    unread_only = request.GET.get("show") == "unread"
    qs = selectors.inbox(request.user, unread_only=unread_only)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        # The count is given here too, so the page is right even where the context processor
        # is not configured.
        {
            "page": page,
            "unread_only": unread_only,
            "unread_notifications": selectors.unread_count(request.user),
        },
    )


def _back(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_read(request, pk: int):
    note = get_object_or_404(selectors.inbox(request.user), pk=pk)
    services.mark_read(actor=request.user, notification=note)
    if request.headers.get("HX-Request"):
        # The item again, now read, and the bell with its new count (out of band).
        return render(
            request,
            "notifications/_item_swap.html",
            {"n": note, "unread_notifications": selectors.unread_count(request.user)},
        )
    return _back(request)


@login_required
@require_POST
def open_notification(request, pk: int):
    """Mark read and go where the notification points (a path inside the site)."""
    note = get_object_or_404(selectors.inbox(request.user), pk=pk)
    services.mark_read(actor=request.user, notification=note)
    if note.link and url_has_allowed_host_and_scheme(note.link, allowed_hosts=None):
        return redirect(note.link)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(actor=request.user)
    if count:
        messages.success(
            request,
            _("%(count)s notifications marked as read.") % {"count": localize_digits(count)},
        )
    else:
        messages.info(request, _("There was no unread notification."))
    return _back(request)


@login_required
def profile(request):
    """The signed-in user's profile: who they are in Ronagh, and their Bale chat (SPEC 4.2.1) —
    a one-time code to link it (POST `link`), or unlinking it (POST `unlink`)."""
    code = None
    if request.method == "POST":
        if "unlink" in request.POST:
            if messenger.unlink(actor=request.user):
                messages.success(request, _("Your Bale chat is no longer linked."))
            return redirect("profile")
        code = messenger.issue_code(actor=request.user)
    context = {
        "link": messenger.link_of(request.user),
        "code": code,
        "bot_configured": bool(settings.RONAGH_BALE_TOKEN),
    }
    return render(request, "notifications/profile.html", context)
