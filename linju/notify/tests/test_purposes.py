"""Each provider template (linju/notify/purposes.py) has the variables of one text Linju writes: the
template registered with the gateway is that text's Chinese with `%(name)s` written `${name}`."""

import re

from django.utils.translation.trans_real import translation as catalogue

from linju.notify.purposes import TEMPLATES, params_problem

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_each_template_has_the_variables_of_one_text_in_the_catalogue():
    messages = catalogue("zh-hans")._catalog
    texts = [
        key
        for key in messages.keys()
        if isinstance(key, str) and key.startswith(("[Qijiang HRSS]", "[Linju]"))
    ]
    variables = [frozenset(PLACEHOLDER.findall(text)) for text in texts]
    for key, names in TEMPLATES.items():
        assert variables.count(frozenset(names)) == 1, key


def test_a_template_is_given_exactly_its_variables():
    assert params_problem("returned", {"number": "1", "reason": "r"}) == ""
    assert "reason" in params_problem("returned", {"number": "1"})
    assert "extra" in params_problem("returned", {"number": "1", "reason": "r", "extra": "x"})
    assert "no template" in params_problem("nowhere", {})
