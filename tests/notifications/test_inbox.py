"""The notifications page (/notifications/), mark-as-read and the bell's count."""

import pytest
from django.urls import reverse

from ronagh.notifications.models import Notification
from tests.factories import UserFactory

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

URL = reverse("notifications:list")


@pytest.fixture
def me(client):
    user = UserFactory(username="me")
    client.force_login(user)
    return user


def test_the_page_shows_only_my_own_notifications(client, me):
    NotificationFactory(recipient=me, title="Report for Tuesday")
    NotificationFactory(title="Somebody else's secret")

    page = client.get(URL).content.decode()

    assert "Report for Tuesday" in page
    assert "Somebody else" not in page


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_marking_one_read(client, me):
    note = NotificationFactory(recipient=me)
    other = NotificationFactory(recipient=me)

    response = client.post(reverse("notifications:read", args=[note.pk]))

    assert response.status_code == 302
    note.refresh_from_db()
    other.refresh_from_db()
    assert note.read_at is not None
    assert other.read_at is None
    assert client.get(URL).context["unread_notifications"] == 1


def test_marking_read_twice_keeps_the_first_time(client, me):
    note = NotificationFactory(recipient=me)
    client.post(reverse("notifications:read", args=[note.pk]))
    first = Notification.objects.get(pk=note.pk).read_at
    client.post(reverse("notifications:read", args=[note.pk]))
    assert Notification.objects.get(pk=note.pk).read_at == first


def test_nobody_can_mark_another_persons_notification(client, me):
    theirs = NotificationFactory()
    response = client.post(reverse("notifications:read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_reading_needs_a_post(client, me):
    note = NotificationFactory(recipient=me)
    assert client.get(reverse("notifications:read", args=[note.pk])).status_code == 405
    note.refresh_from_db()
    assert note.read_at is None


def test_marking_all_read_leaves_other_peoples_alone(client, me):
    NotificationFactory.create_batch(3, recipient=me)
    theirs = NotificationFactory()

    response = client.post(reverse("notifications:read_all"), follow=True)

    assert "3 notifications marked as read." in response.content.decode()
    assert Notification.objects.filter(recipient=me, read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_with_htmx_the_item_comes_back_read_with_the_new_count(client, me):
    note = NotificationFactory(recipient=me, title="Only one")
    response = client.post(reverse("notifications:read", args=[note.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert f'id="notif-{note.pk}"' in html
    assert "notif-read" in html
    assert 'id="notif-bell"' in html and 'hx-swap-oob="true"' in html
    assert 'id="notif-count-heading" hx-swap-oob="true"' in html
    assert "bg-danger" not in html  # nothing unread any more: no red count anywhere


def test_opening_marks_read_and_follows_the_link(client, me):
    note = NotificationFactory(recipient=me, link="/report/?date=1405/03/12")
    response = client.post(reverse("notifications:open", args=[note.pk]))
    assert response["Location"] == "/report/?date=1405/03/12"
    note.refresh_from_db()
    assert note.read_at is not None


def test_the_unread_filter(client, me):
    NotificationFactory(recipient=me, title="Old news", read_at="2026-06-01T08:00:00+03:30")
    NotificationFactory(recipient=me, title="Fresh news")
    page = client.get(URL, {"show": "unread"}).content.decode()
    assert "Fresh news" in page and "Old news" not in page


def test_the_page_in_persian_has_jalali_dates_and_persian_digits(client, me, settings):
    settings.LANGUAGE_CODE = "fa"
    NotificationFactory(recipient=me, created_at="2026-06-03T08:00:00+03:30")
    NotificationFactory(recipient=me)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "۱۴۰۵/۰۳/۱۳ ۰۸:۰۰" in page
    assert 'class="badge rounded-pill bg-danger align-middle fs-6">۲' in page


def test_the_context_processor_counts_my_unread(rf, me):
    from django.contrib.auth.models import AnonymousUser

    from ronagh.notifications.context_processors import unread

    NotificationFactory.create_batch(2, recipient=me)
    NotificationFactory()
    request = rf.get("/")
    request.user = me
    assert unread(request) == {"unread_notifications": 2}
    request.user = AnonymousUser()
    assert unread(request) == {"unread_notifications": 0}


def test_an_empty_inbox_says_so(client, me):
    assert "You have no notifications yet." in client.get(URL).content.decode()


def test_the_bell_shows_the_unread_count_in_persian_digits(settings):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("fa"):
        html = render_to_string("notifications/_bell.html", {"unread_notifications": 12})
        quiet = render_to_string("notifications/_bell.html", {"unread_notifications": 0})
    assert "۱۲" in html and 'href="/notifications/"' in html
    assert "notif-count" not in quiet


def test_the_delivery_log_is_readable_in_the_admin_and_not_editable(client):
    from ronagh.notifications.services import notify

    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    notify(recipients=[admin], kind="digest", title="Digest", body="", key="k", channels=["in_app"])
    client.force_login(admin)
    page = client.get(reverse("admin:notifications_delivery_changelist"))
    assert page.status_code == 200
    assert ">k<" in page.content.decode()
    assert client.get(reverse("admin:notifications_delivery_add")).status_code == 403
    assert client.get(reverse("admin:notifications_notification_changelist")).status_code == 200
