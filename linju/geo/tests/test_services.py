import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from linju.core.csv_import import ImportFileError
from linju.geo.models import Bureau, Town, TravelTime, Village
from linju.geo.services import divisions_import, travel_times_import
from linju.geo.tests.factories import MarketPlaceFactory, ServicePointFactory, VillageFactory

HEADER = "code,name,level,parent_code,full_name,zone\n"
GOOD = (
    HEADER
    + "500110000000,綦江区,county,500100000000,綦江区,\n"
    + "500110113000,永新镇,town,500110000000,永新镇,綦江\n"
    + "500110101000,南桐镇,town,500110000000,南桐镇,万盛经开区\n"
    + "500110113225,荆山村,village,500110113000,荆山村村民委员会,綦江\n"
    + "500110101200,三台村,village,500110101000,三台村村民委员会,万盛经开区\n"
    + "500110113226,三台村,village,500110113000,三台村村民委员会,綦江\n"
)


@pytest.mark.django_db
def test_import_good_csv_counts_and_models_the_bureaus():
    result = divisions_import(source=io.StringIO(GOOD))
    assert result.created == {"bureau": 2, "district": 1, "town": 2, "village": 3}
    assert Town.objects.get(code="500110101000").bureau.zone == "万盛经开区"
    assert Village.objects.filter(name="三台村").count() == 2  # same name, different codes


@pytest.mark.django_db
def test_second_import_changes_nothing_and_a_rename_is_an_update():
    divisions_import(source=io.StringIO(GOOD))
    again = divisions_import(source=io.StringIO(GOOD))
    assert not again.created and not again.updated
    assert again.unchanged["village"] == 3
    renamed = divisions_import(source=io.StringIO(GOOD.replace("荆山村,village", "荆山新村,village")))
    assert renamed.updated == {"village": 1}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad_line", "line_number", "fragment"),
    [
        ("50011011322,短码村,village,500110113000,短码村,綦江\n", 8, "12"),
        ("500110113227,孤村,village,500110999000,孤村,綦江\n", 8, "500110999000"),
        ("500110113228,怪村,hamlet,500110113000,怪村,綦江\n", 8, "hamlet"),
        ("500110113229,缺列村,village\n", 8, "6"),
        ("500110113225,重复村,village,500110113000,重复村,綦江\n", 8, "500110113225"),
    ],
)
def test_broken_csv_reports_line_and_imports_nothing(bad_line, line_number, fragment):
    with pytest.raises(ImportFileError) as error:
        divisions_import(source=io.StringIO(GOOD + bad_line))
    assert [n for n, _ in error.value.row_errors] == [line_number]
    assert fragment in error.value.row_errors[0][1]
    assert not Town.objects.exists() and not Bureau.objects.exists()


@pytest.mark.django_db
def test_missing_columns_are_named():
    with pytest.raises(ImportFileError) as error:
        divisions_import(source=io.StringIO("code,name\n1,2\n"))
    assert "level" in error.value.text()


@pytest.mark.django_db
def test_the_real_qijiang_file_imports(settings):
    result = divisions_import(source=settings.DIVISIONS_CSV)
    assert result.created["town"] == 31
    assert result.created["village"] == 480
    assert Town.objects.filter(bureau__zone="万盛经开区").count() == 10


@pytest.mark.django_db
def test_command_reports_errors_without_a_traceback(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(GOOD + "bad,row,village,500110113000,x,綦江\n", encoding="utf-8")
    with pytest.raises(CommandError, match="8"):
        call_command("import_divisions", str(path), stdout=io.StringIO())
    assert not Town.objects.exists()


@pytest.mark.django_db
def test_travel_times_import_all_or_nothing():
    village = VillageFactory()
    station = ServicePointFactory(town=village.town)
    market = MarketPlaceFactory(town=village.town)
    good = f"village_code,destination_code,minutes,mode\n{village.code},{station.code},35,bus\n{village.code},{market.code},50,walk\n"
    result = travel_times_import(source=io.StringIO(good))
    assert result.created["travel_time"] == 2
    assert TravelTime.objects.get(service_point=station).source == "imported"
    bad = good.replace("35,bus", "40,bus") + f"{village.code},nowhere,10,walk\n"
    with pytest.raises(ImportFileError) as error:
        travel_times_import(source=io.StringIO(bad))
    assert error.value.row_errors[0][0] == 4
    assert TravelTime.objects.get(service_point=station).minutes == 35
