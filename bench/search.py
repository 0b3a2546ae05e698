"""The catalogue's search (linju/catalog/search.py): index build and one search, for the demo's 44
items and for a generated catalogue of 2,000 items (seeded), against a baseline measured in the same
run: the search it replaced (substring of the name or keywords, or of their whole pinyin or initials).

Prints: the segmenter's dictionary load (in a fresh interpreter: time and resident memory it adds);
then for each catalogue the index build (median of --repeat), the index's memory (tracemalloc), the
time of one search (median and 95th percentile over the queries, each run --repeat times) for the new
search and the baseline, and, for the demo, how many of the nine queries residents typed that the
old search found nothing for each finds first. Times are CPU time of this process
(time.process_time), so that other work on a shared machine does not count.

Usage: .venv/bin/python bench/search.py [--items 2000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from linju.catalog.models import ServiceItem  # noqa: E402
from linju.catalog.search import SearchIndex, normalized  # noqa: E402
from linju.core import pinyin  # noqa: E402
from linju.core.words import content_words  # noqa: E402
from linju.demo.catalog import ALIASES, ITEMS  # noqa: E402

# The queries residents typed that the old search found nothing for, and the item each should find first.
ASKED = {
    "宅基地复垦养老保险": "PE-003",
    "复垦养老": "PE-003",
    "宅基地养老": "PE-003",
    "土地复垦": "PE-003",
    "地票养老": "PE-003",
    "退房养老": "PE-003",
    "宅基地复恳": "PE-003",
    "zjdfkylbx": "PE-003",
    "看病补助": "MD-006",
}
MORE = ["失业保险", "sybx", "yanglao", "社保卡掉了", "我想办宅基地复垦的养老保险", "老板不给工钱", "天气预报"]

SUBJECTS = "城乡居民 企业职工 灵活就业人员 被征地农民 退役军人 高校毕业生 农民工 残疾人 失业人员 困难群众 宅基地复垦户 个体工商户 机关事业单位人员 老年人 外来务工人员".split()
MATTERS = "养老保险 医疗保险 失业保险 工伤保险 生育保险 社会保障卡 就业创业证 职业技能培训 创业担保贷款 人事档案 劳动合同 技能等级证书 公益性岗位 医疗救助 临时救助".split()
ACTIONS = "参保登记 待遇申领 关系转移 信息变更 补贴申领 资格认证 证明打印 备案 注销 查询 补换 认定 申请 核定 缴费".split()
SHORT = {
    "养老保险": "养老",
    "医疗保险": "医保",
    "失业保险": "失业金",
    "社会保障卡": "社保卡",
    "人事档案": "档案",
}


def demo_catalogue() -> tuple[list[ServiceItem], dict[int, list[str]]]:
    items = [
        ServiceItem(pk=n, code=row[0], name=row[2], description=row[6], keywords=row[9])
        for n, row in enumerate(ITEMS, start=1)
    ]
    return items, {item.pk: [name for name, _kind in ALIASES.get(item.code, ())] for item in items}


def generated_catalogue(size: int, seed: int = 2014) -> tuple[list[ServiceItem], dict[int, list[str]]]:
    rng = random.Random(seed)
    combos = rng.sample([(s, m, a) for s in SUBJECTS for m in MATTERS for a in ACTIONS], size)
    descriptions = [row[6] for row in ITEMS]
    items, aliases = [], {}
    for n, (subject, matter, action) in enumerate(combos, start=1):
        short = SHORT.get(matter, matter[:2])
        items.append(
            ServiceItem(
                pk=n,
                code=f"G-{n:04d}",
                name=subject + matter + action,
                description=rng.choice(descriptions),
                keywords=f"{short} {action[:2]}",
            )
        )
        aliases[n] = [short + action, subject[:2] + short, "办" + short + action[:2]]
    return items, aliases


class Baseline:
    """The search this one replaced: a substring of the name or keywords, or of their pinyin."""

    def __init__(self, items: list[ServiceItem]) -> None:
        self.keys = [
            [(text.lower(), pinyin.initials(text), pinyin.whole(text)) for text in (i.name, i.keywords)]
            for i in items
        ]
        self.items = items

    def search(self, query: str) -> list[ServiceItem]:
        needle = "".join(query.split()).lower()
        found = []
        for item, keys in zip(self.items, self.keys, strict=True):
            for text, initials, whole in keys:
                if needle in text or (needle.isascii() and (needle in initials or needle in whole)):
                    found.append(item)
                    break
        return found


LOAD = """
import time
def resident():  # kB; ru_maxrss would carry the parent's peak across exec
    return int(next(l for l in open("/proc/self/status") if l.startswith("VmRSS")).split()[1])
before = resident()
start = time.process_time()
import rjieba
rjieba.tag("宅基地复垦户养老保险办理")
print(time.process_time() - start, (resident() - before) / 1024)
"""


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return times


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def measure(label: str, items, aliases, queries: list[str], repeat: int) -> SearchIndex:
    builds = timed(lambda: SearchIndex(items, aliases), repeat)
    baseline_builds = timed(lambda: Baseline(items), repeat)
    tracemalloc.start()
    index = SearchIndex(items, aliases)
    memory = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    baseline = Baseline(items)
    new, old = [], []
    for query in queries:
        new += timed(lambda q=query: index.search(q), repeat)
        old += timed(lambda q=query: baseline.search(q), repeat)
    print(f"\n{label}: {len(items)} items, {len(index.phrases)} phrases")
    print(
        f"  index build      {ms(statistics.median(builds))}   (baseline keys: {ms(statistics.median(baseline_builds))})"
    )
    print(f"  index memory     {memory / 1024:.0f} KiB")
    print(
        f"  one search       median {ms(statistics.median(new))}, p95 {ms(sorted(new)[int(len(new) * 0.95)])}"
        f"   (baseline: median {ms(statistics.median(old))}, p95 {ms(sorted(old)[int(len(old) * 0.95)])})"
    )
    return index


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    seconds, megabytes = map(float, subprocess.check_output([sys.executable, "-c", LOAD], text=True).split())
    print(f"segmenter dictionary load (once per process): {ms(seconds)}, {megabytes:.0f} MB resident")
    content_words("宅基地复垦")

    queries = list(ASKED) + MORE
    items, aliases = demo_catalogue()
    index = measure("demo catalogue", items, aliases, queries, args.repeat)
    baseline = Baseline(items)
    by_code = {item.code: item for item in items}
    new_first = sum(index.search(q).items[:1] == [by_code[code]] for q, code in ASKED.items())
    old_first = sum(baseline.search(q)[:1] == [by_code[code]] for q, code in ASKED.items())
    print(f"  residents' {len(ASKED)} queries found first: {new_first} (baseline: {old_first})")

    items, aliases = generated_catalogue(args.items)
    measure(
        "generated catalogue", items, aliases, queries + [normalized(i.name) for i in items[:10]], args.repeat
    )


if __name__ == "__main__":
    main()
