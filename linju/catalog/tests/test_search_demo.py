"""Search on the demo catalogue as residents ask: the words of the founding article and of the people
who wrote in, dialect, typos, pinyin and initials. Each finds its item first, as a result."""

import pytest

from linju.catalog.models import ItemAlias, ServiceItem
from linju.catalog.selectors import catalogue_changed, item_list, item_search
from linju.conftest_demo import rows_for_module
from linju.demo.catalog import ALIASES, load_catalog


@pytest.fixture(scope="module")
def catalogue_for_module(request, django_db_setup, django_db_blocker):
    """The demo's catalogue, committed once for this module's tests (each test's writes roll back)."""
    with rows_for_module(request, django_db_blocker, load_catalog):
        yield


@pytest.fixture
def demo_catalogue(catalogue_for_module, db):
    pass


# The queries that found nothing before: the article's 宅基地复垦养老保险 and the ways residents say it.
ASKED = [
    ("宅基地复垦养老保险", "PE-003"),
    ("复垦养老", "PE-003"),
    ("宅基地养老", "PE-003"),
    ("土地复垦", "PE-003"),
    ("地票养老", "PE-003"),
    ("退房养老", "PE-003"),
    ("宅基地复恳", "PE-003"),  # 恳 for 垦
    ("zjdfkylbx", "PE-003"),  # initials, 户 left out
    ("看病补助", "MD-006"),  # 张元平 asking for his brother at the booth
]

PHRASINGS = [
    ("没想到我可以办失业保险", "UI-002"),  # the article, word for word
    ("我想办宅基地复垦的养老保险", "PE-003"),
    ("社保卡丢了咋办", "SI-008"),  # dialect: 咋办
    ("老板不给工钱", "LR-004"),
    ("找活路", "EM-006"),  # 重庆话: work
    ("生娃儿报销", "MD-004"),  # 重庆话: 娃儿
    ("评职称要啥子材料", "TA-002"),  # 重庆话: 啥子
    ("领养老钱", "PE-001"),
    ("农民工讨薪", "LR-004"),
    ("档案放哪里", "TA-001"),
    ("老人去世了领丧葬费", "PE-006"),
    ("异地就医备按", "MD-001"),  # 按 for 案
    ("失业保险今", "UI-002"),  # 今 for 金
    ("创业代款", "EM-005"),  # 代 for 贷
    ("劳动仲才", "LR-002"),  # 才 for 裁
    ("医疗救主", "MD-006"),  # 主 for 助
    ("临时就急", "AS-001"),  # 就 for 救
    ("公益岗位补贴", "EM-003"),  # 性 left out
    ("门特病", "MD-002"),
    ("shiyejin", "UI-002"),  # pinyin
    ("xin nong he", "SI-002"),  # pinyin with spaces, a former name
    ("yanglaojin renzheng", "PE-002"),
    ("zhaigongzuo", "EM-006"),  # zhai for zhao
    ("ydjy", "MD-001"),  # initials
    ("bbsbk", "SI-008"),  # initials of 补办社保卡
]


@pytest.mark.parametrize(("query", "code"), ASKED + PHRASINGS)
def test_residents_words_find_their_item_first(demo_catalogue, query, code):
    found = item_search(query=query)
    assert found.items, f"{query}: no result (suggested {[i.code for i in found.suggestions]})"
    assert found.items[0].code == code, f"{query}: {[i.code for i in found.items[:3]]}"


def test_the_articles_words_are_shown_as_the_name_that_found_the_item(demo_catalogue):
    found = item_search(query="宅基地复垦养老保险")
    assert found.aliases[found.items[0].pk] == "宅基地复垦养老保险"


def test_a_long_sentence_with_a_few_known_words_is_offered_as_a_suggestion(demo_catalogue):
    found = item_search(query="我弟弟看病要花一大笔钱有没有补助")
    assert found.items == []
    assert found.suggestions[0].code == "MD-006"


@pytest.mark.parametrize("query", ["天气预报", "火锅好吃", "qwertyuiop", "zzz"])
def test_nonsense_finds_nothing_in_the_demo(demo_catalogue, query):
    found = item_search(query=query)
    assert found.items == [] and found.suggestions == []


def test_a_category_is_searched_alone(demo_catalogue):
    assert item_list(query="养老", category_code="assistance")[0].code == "AS-002"
    assert all(i.category.code == "assistance" for i in item_list(query="养老", category_code="assistance"))


def test_the_demo_names_people_use_are_loaded_once(demo_catalogue):
    load_catalog()
    assert ItemAlias.objects.count() == sum(len(names) for names in ALIASES.values())
    assert ItemAlias.objects.filter(kind=ItemAlias.Kind.REPORTED, name="宅基地复垦养老保险").exists()


def test_a_warm_search_asks_the_database_nothing(demo_catalogue, django_assert_num_queries):
    item_search(query="宅基地复垦养老保险")
    with django_assert_num_queries(0):
        assert item_search(query="zjdfkylbx").items[0].code == "PE-003"
        assert item_search(query="看病补助").items[0].code == "MD-006"


def test_a_new_name_people_use_is_searched_after_the_catalogue_changes(
    demo_catalogue, django_assert_num_queries
):
    item_search(query="失业")
    ItemAlias.objects.create(item=ServiceItem.objects.get(code="AS-003"), name="老辈子办事")
    catalogue_changed()
    with django_assert_num_queries(3):  # the catalogue's items, its delegations, the names people use
        assert item_search(query="老辈子办事").items[0].code == "AS-003"
