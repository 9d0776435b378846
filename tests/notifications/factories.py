"""Factories of the notifications app."""

import factory

from ronagh.notifications.models import Notification
from tests.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Notification.Kind.REPORT_REMINDER
    title = factory.Sequence(lambda n: f"Notice {n}")
    body = "Some text"
    link = "/report/"
    key = factory.Sequence(lambda n: f"test:{n}")
