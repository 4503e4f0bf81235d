"""The import_register command: output, exit status, dry run, and the action log."""

import io

import pytest
from django.core.management import CommandError, ManagementUtility, call_command

from shuangliang.core.models import ActionLogEntry
from shuangliang.register.models import Enterprise, Officer, Union

from .factories import make_credit_code
from .test_import_register import ROSTER_HEADER, roster, roster_row, xlsx


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def workbook(tmp_path):
    def write(file: io.BytesIO, name: str = "名册.xlsx"):
        path = tmp_path / name
        path.write_bytes(file.getvalue())
        return str(path)

    return write


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_register", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_command_writes_rows_and_prints_counts_by_kind(world, workbook):
    path = workbook(roster([roster_row(1), roster_row(2), roster_row(3)]))
    out, err = run(path, "--federation", "990101")
    assert out == "Written: enterprises 3, unions 3, officers 3.\n"
    assert err == ""
    assert Enterprise.objects.filter(name__startswith="导入测试").count() == 3
    entries = ActionLogEntry.objects.filter(action_type__endswith=".imported")
    assert entries.count() == 12
    assert {entry.actor_id for entry in entries} == {None}
    assert {entry.data["source"] for entry in entries} == {"import_register"}
    assert {entry.data["file"] for entry in entries} == {"名册.xlsx"}


def test_import_command_dry_run_checks_but_writes_nothing(world, workbook):
    path = workbook(roster([roster_row(1), roster_row(2)]))
    before = (Enterprise.objects.count(), ActionLogEntry.objects.count())
    out, _err = run(path, "--federation", "990101", "--dry-run")
    assert out == (
        "No errors. Dry run, nothing written; the import would write: enterprises 2, "
        "unions 2, officers 2.\n"
    )
    assert (Enterprise.objects.count(), ActionLogEntry.objects.count()) == before


def test_import_command_prints_each_error_and_writes_nothing(world, workbook):
    rows = [roster_row(1), roster_row(2, township="乙一镇"), roster_row(3, name="")]
    path = workbook(roster(rows))
    before = (Enterprise.objects.count(), Union.objects.count(), Officer.objects.count())
    with pytest.raises(CommandError, match="^2 errors were found; nothing was written.$"):
        out, err = io.StringIO(), io.StringIO()
        call_command("import_register", path, "--federation", "990101", stdout=out, stderr=err)
    assert err.getvalue().splitlines() == [
        "花名册/4/所属乡镇/“乙一镇” is not a township or park of 甲县总工会.",
        "花名册/5/企业名称/This field cannot be blank.",
    ]
    assert out.getvalue() == ""
    assert (Enterprise.objects.count(), Union.objects.count(), Officer.objects.count()) == before


def test_import_command_exits_non_zero_on_bad_rows(world, workbook, capsys):
    path = workbook(roster([roster_row(1, township="乙一镇")]))
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(
            ["manage.py", "import_register", path, "--federation", "990101"]
        ).execute()
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "花名册/3/所属乡镇/" in err
    assert "1 error was found; nothing was written." in err


def test_import_command_exits_zero_on_a_clean_file(world, workbook, capsys):
    path = workbook(roster([roster_row(1)]))
    ManagementUtility(["manage.py", "import_register", path, "--federation", "990101"]).execute()
    assert capsys.readouterr().out == "Written: enterprises 1, unions 1, officers 1.\n"


def test_import_command_ignores_unrecognised_columns_with_a_warning(world, workbook):
    header = ROSTER_HEADER[:9] + ["企业联系人"]
    path = workbook(roster([roster_row(1)[:9] + ["王五"]], header=header))
    out, err = run(path, "--federation", "990101")
    assert err == (
        "Warning: The column “企业联系人” on sheet 花名册 was not recognised and was ignored.\n"
    )
    assert out == "Written: enterprises 1, unions 0, officers 0.\n"


def test_import_command_rows_match_townships_in_either_script(world, workbook):
    path = workbook(roster([roster_row(1, township="甲二鎮")]))
    run(path, "--federation", "990101")
    assert Enterprise.objects.get(name="导入测试1有限公司").federation == world.t2


def test_import_command_refuses_an_unknown_federation(world, workbook):
    path = workbook(roster([roster_row(1)]))
    with pytest.raises(CommandError, match="No federation has the division code 123456."):
        run(path, "--federation", "123456")


def test_import_command_refuses_a_renamed_xls_file(world, workbook):
    path = workbook(io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), "old.xlsx")
    with pytest.raises(CommandError, match=r"old Excel \(\.xls\) file"):
        run(path, "--federation", "990101")


def test_import_command_refuses_a_missing_file(world, tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        run(str(tmp_path / "missing.xlsx"), "--federation", "990101")


def test_import_command_template_layout_reports_counts_per_kind(world, workbook):
    code = make_credit_code(serial=880001)
    union_code = make_credit_code(prefix="81", serial=880002)
    path = workbook(
        xlsx(
            {
                "企业": [
                    ["企业名称", "统一社会信用代码", "所属乡镇", "经济类型", "行业"],
                    ["命令行公司", code, "甲一镇", "私营", "C"],
                ],
                "工会": [
                    ["工会名称", "工会统一社会信用代码", "企业统一社会信用代码"],
                    ["命令行公司工会", union_code, code],
                ],
                "工会干部": [
                    ["工会统一社会信用代码", "姓名", "职务"],
                    [union_code, "赵主席", "主席"],
                    [union_code, "钱委员", "委员"],
                ],
            }
        )
    )
    out, _err = run(path, "--federation", "990101")
    assert out == "Written: enterprises 1, unions 1, officers 2.\n"
