"""The search index on its own: each way a resident's words find an item, on a few items without the
names people use (so the matching, not the data, is what finds them)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linju.catalog.models import ServiceItem
from linju.catalog.search import MAX_QUERY, RESULT_SCORE, SearchIndex, normalized

ITEMS = [
    ("PE-003", "宅基地复垦户养老保险办理", "宅基地复垦户按政策参加养老保险并享受缴费补贴。", ""),
    ("PE-004", "被征地农转非人员养老保险", "被征地农转非人员按规定参加养老保险并领取待遇。", "征地"),
    ("UI-002", "失业保险金申领", "非本人意愿中断就业的人员按月领取失业保险金。", "失业金"),
    ("MD-004", "生育保险待遇申领", "参加职工医保的人员生育后申领生育津贴。", "生孩子"),
    ("MD-006", "医疗救助申请", "大病、重病的困难群众申请医疗救助。", "大病救助"),
    ("AS-001", "临时救急补助申请", "遭遇急难的家庭申请一次性救急补助。", "救急"),
    ("PE-008", "社会保险参保缴费证明打印", "打印参保缴费证明,用于买房、入学、落户等。", ""),
]


def index(aliases: dict[str, list[str]] | None = None) -> SearchIndex:
    items = [
        ServiceItem(pk=n, code=code, name=name, description=description, keywords=keywords)
        for n, (code, name, description, keywords) in enumerate(ITEMS, start=1)
    ]
    aliases = aliases or {}
    return SearchIndex(items, {item.pk: aliases.get(item.code, []) for item in items})


@pytest.fixture(scope="module")
def plain() -> SearchIndex:
    return index()


def first(found) -> str | None:
    return found.items[0].code if found.items else None


@pytest.mark.parametrize(
    "query",
    [
        "宅基地复恳",  # 恳 for 垦: the same sound
        "宅机地复垦",  # 机 for 基
        "在基地复垦",  # zai for zhai: a 重庆 speaker's z and zh are one
        "宅基地副垦户养老",
    ],
)
def test_a_homophone_typo_finds_the_item(plain, query):
    assert first(plain.search(query)) == "PE-003"


@pytest.mark.parametrize("query", ["zjdfkhylbxbl", "jdfk", "fkhylb", "ZJDFK", "ｚｊｄｆｋ"])
def test_initials_of_any_run_of_the_name_find_the_item(plain, query):
    assert first(plain.search(query)) == "PE-003"


@pytest.mark.parametrize(
    ("query", "code"),
    [("zjdfkylbx", "PE-003"), ("zhaijidifukenyanglao", "PE-003"), ("shiyebaoxianjing", "UI-002")],
)
def test_pinyin_with_a_letter_missed_or_added_finds_the_item(plain, query, code):
    assert first(plain.search(query)) == code


@pytest.mark.parametrize(
    "query",
    [
        "宅基地复垦养老保险",  # 户 missed (the article's own words)
        "宅基地复垦户养老保险办理了",  # a character added
        "宅基地复垦户养老报险",  # 报 for 保
    ],
)
def test_a_character_missed_added_or_changed_finds_the_item(plain, query):
    assert first(plain.search(query)) == "PE-003"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("复垦养老", "PE-003"),
        ("养老 复垦", "PE-003"),
        ("我想问宅基地复垦的养老保险", "PE-003"),
        ("买房证明", "PE-008"),
    ],
)
def test_words_in_any_order_find_the_item(plain, query, code):
    assert first(plain.search(query)) == code


def test_a_word_few_items_have_counts_more_than_a_common_one(plain):
    """养老 is in two names, 复垦 in one: 复垦 decides."""
    scores = plain.scores("宅基地养老")
    by_code = {plain.items[n].code: score for n, (score, _alias) in scores.items()}
    assert by_code["PE-003"] > by_code["PE-004"]


def test_a_name_people_use_finds_the_item_and_says_which(plain):
    assert plain.search("地票").items == []
    named = index({"PE-003": ["退房养老", "地票养老保险"]})
    found = named.search("退房养老")
    assert first(found) == "PE-003"
    assert found.aliases == {found.items[0].pk: "退房养老"}
    assert first(named.search("地票")) == "PE-003"


def test_words_that_only_half_match_are_offered_as_suggestions(plain):
    """看病 is nowhere, 补助 is in one name: not a result, but the item it may mean."""
    found = plain.search("看病的补助")
    assert found.items == []
    assert [item.code for item in found.suggestions] == ["AS-001"]


@pytest.mark.parametrize("query", ["天气预报", "火锅好吃", "qwertyuiop", "x", "!!!", "\u200b"])
def test_nonsense_finds_nothing_and_suggests_nothing(plain, query):
    found = plain.search(query)
    assert found.items == [] and found.suggestions == []


def test_invisible_characters_and_full_width_letters_are_ignored(plain):
    assert first(plain.search("失\u200b业\u00a0保险")) == "UI-002"
    assert first(plain.search("ＳＹＢＸ")) == "UI-002"
    assert normalized("失业·保险!\x07") == "失业保险"


def test_only_the_first_characters_of_a_long_query_are_read(plain):
    long = "宅基地复垦户养老保险" * 40
    assert plain.scores(long) == plain.scores(long[:MAX_QUERY])


def test_keep_leaves_out_the_items_not_listed(plain):
    found = plain.search("养老保险", keep=lambda item: item.code != "PE-003")
    assert found.items and all(item.code != "PE-003" for item in found.items)


def test_results_reach_the_result_score_and_are_best_first(plain):
    scores = plain.scores("养老保险")
    found = plain.search("养老保险")
    values = [scores[plain.items.index(item)][0] for item in found.items]
    assert values == sorted(values, reverse=True)
    assert min(values) >= RESULT_SCORE


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=3 * MAX_QUERY))
def test_any_text_is_searched_without_error(query):
    found = index().search(query)
    assert not (found.items and found.suggestions)
    assert len(found.suggestions) <= 3


def test_an_empty_catalogue_finds_nothing():
    empty = SearchIndex([], {})
    assert empty.search("宅基地复垦").items == [] and empty.search("sybx").suggestions == []
