"""`manage.py check --deploy`: production sends its texts through a real gateway, fully configured.

The default backend only writes texts to the outbox (right for the demo and a developer's machine);
left on in production, nobody would get a text and nothing would say so.
"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.utils.module_loading import import_string

from .purposes import TEMPLATES

OUTBOX_ONLY = "linju.notify.sms.OutboxOnlyBackend"
ALIYUN = "linju.notify.aliyun.AliyunSmsBackend"
STAND_IN = "linju.notify.standin.transport"


@register(Tags.security, deploy=True)
def texts_are_really_sent(app_configs, **kwargs):
    backend = settings.LINJU_SMS_BACKEND
    if backend == OUTBOX_ONLY:
        return [
            Error(
                f"LINJU_SMS_BACKEND is {OUTBOX_ONLY!r}: texts are only written to the outbox, none is sent.",
                hint=f"Set LINJU_SMS_BACKEND={ALIYUN} and its settings (docs/sms.md).",
                id="linju.E010",
            )
        ]
    try:
        import_string(backend)
    except ImportError as error:
        return [Error(f"LINJU_SMS_BACKEND {backend!r} cannot be imported: {error}", id="linju.E010")]
    if backend != ALIYUN:
        return []  # a gateway of the installation's own: its settings are its own
    errors = []
    missing = [
        name
        for name in (
            "LINJU_SMS_ALIYUN_ACCESS_KEY_ID",
            "LINJU_SMS_ALIYUN_ACCESS_KEY_SECRET",
            "LINJU_SMS_SIGN_NAME",
        )
        if not getattr(settings, name)
    ]
    if missing:
        errors.append(
            Error(
                f"The SMS gateway has no {', '.join(missing)}.",
                hint="The AccessKey of a RAM user allowed dysmsapi:SendSms, and the approved signature (签名).",
                id="linju.E011",
            )
        )
    templates = settings.LINJU_SMS_TEMPLATES
    if not isinstance(templates, dict):
        errors.append(
            Error(
                "LINJU_SMS_TEMPLATES is not a JSON object of template codes.",
                hint='For example {"accepted": "SMS_123456", "suspended": "SMS_123457"}.',
                id="linju.E012",
            )
        )
    else:
        without = [key for key in TEMPLATES if not templates.get(key)]
        if without:
            errors.append(
                Error(
                    f"LINJU_SMS_TEMPLATES has no template code for {', '.join(without)}: these texts would fail.",
                    hint="Register a template for each at the provider (docs/sms.md lists their variables).",
                    id="linju.E012",
                )
            )
    if settings.LINJU_SMS_TRANSPORT == STAND_IN:
        errors.append(
            Error(
                f"LINJU_SMS_TRANSPORT is the tests' stand-in ({STAND_IN}): texts would go nowhere.",
                hint="Remove LINJU_SMS_TRANSPORT (the default reaches the gateway over HTTPS).",
                id="linju.E013",
            )
        )
    if not settings.LINJU_SMS_REPORT_TOKEN:
        errors.append(
            Warning(
                "LINJU_SMS_REPORT_TOKEN is empty: the gateway's delivery receipts are not taken, so the "
                "outbox never says whether a text arrived.",
                hint="Set a long random LINJU_SMS_REPORT_TOKEN and give Aliyun "
                "https://<site>/notify/sms-reports?token=<it> as the receipt address.",
                id="linju.W010",
            )
        )
    return errors
