from tests.notifications.conftest import _bell_context, _channels, sms_outbox  # noqa: F401
