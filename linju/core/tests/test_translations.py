"""The Chinese catalogue as residents meet it: every text sent in the bureau's name carries the
bureau's Chinese signature, not the English one of its source."""

import gettext
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
SENDER_EN, SENDER_ZH = "[Qijiang HRSS]", "【綦江人社】"


def _catalogue() -> dict:
    with CATALOGUE.open("rb") as mo:
        return gettext.GNUTranslations(mo)._catalog  # every msgid, plural forms as (msgid, n)


def test_every_text_signed_in_english_is_signed_in_chinese():
    texts = {
        msgid: msgstr
        for msgid, msgstr in _catalogue().items()
        if isinstance(msgid, str) and msgid.startswith(SENDER_EN)
    }
    assert len(texts) > 20  # the texts are there to be checked
    wrong = {msgid: msgstr for msgid, msgstr in texts.items() if not msgstr.startswith(SENDER_ZH)}
    assert not wrong, wrong


def test_no_chinese_text_keeps_the_english_signature():
    kept = [msgstr for msgstr in _catalogue().values() if isinstance(msgstr, str) and SENDER_EN in msgstr]
    assert not kept, kept
