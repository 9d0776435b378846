import pytest

from ronagh.notifications.sms import MemoryBackend


@pytest.fixture(autouse=True)
def _channels(settings):
    """Email to Django's locmem outbox, SMS to MemoryBackend.outbox; English msgids."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.RONAGH_SMS = {
        **settings.RONAGH_SMS,
        "BACKEND": "ronagh.notifications.sms.MemoryBackend",
    }
    settings.LANGUAGE_CODE = "en"
    # UserFactory sets a password: the default hasher makes each user cost most of a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    MemoryBackend.outbox.clear()
    yield
    MemoryBackend.outbox.clear()


@pytest.fixture(autouse=True)
def _bell_context(settings):
    """The context processor the lead adds to settings.TEMPLATES."""
    processor = "ronagh.notifications.context_processors.unread"
    templates = [dict(t, OPTIONS=dict(t["OPTIONS"])) for t in settings.TEMPLATES]
    processors = templates[0]["OPTIONS"].setdefault("context_processors", [])
    if processor not in processors:
        templates[0]["OPTIONS"]["context_processors"] = [*processors, processor]
    settings.TEMPLATES = templates


@pytest.fixture
def sms_outbox():
    return MemoryBackend.outbox
