"""Reading an uploaded invitation list row by row (pure functions)."""
import pytest

from survey.invitations.csvrows import CsvProblem, check_rows, escape_formula, read_rows


def test_rows_are_read_by_header_name_skipping_blank_lines():
    data = "\ufeffEmail,Name,Practice\r\na@example.org,Dr A,X\r\n,,\r\n b@example.org , Dr B \r\n".encode()
    assert read_rows(data) == [(2, "Dr A", "a@example.org"), (4, "Dr B", "b@example.org")]


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty."),
    (b"first,last\nA,B\n", "must name the columns"),
    (b"name,email\n", "no people in it"),
    ("name,email\nDr Ä,ä@example.org\n".encode("latin-1"), "not UTF-8"),
])
def test_unreadable_files_are_refused_with_what_to_fix(data, message):
    with pytest.raises(CsvProblem, match=message):
        read_rows(data)


def test_each_row_is_accepted_or_rejected_with_reasons():
    rows = [
        (2, "Dr Good", "Good@Example.org"),
        (3, "", "noname@example.org"),
        (4, "Dr Bad Email", "not-an-email"),
        (5, "Dr Twice", "good@example.org"),
        (6, "D" * 121, "long@example.org"),
        (7, "Dr Long Email", "x" * 250 + "@example.org"),
        (8, "Dr Known", "known@example.org"),
        (9, "=HYPERLINK(\"http://evil\",\"click\")", "formula@example.org"),
    ]
    checked = check_rows(rows, {"known@example.org": "Already invited to this campaign."})
    assert [(p.row, p.email) for p in checked.accepted] == [(2, "good@example.org"), (9, "formula@example.org")]
    assert checked.accepted[1].formula_like and checked.accepted[1].name.startswith("=HYPERLINK")  # kept as text
    reasons = {r.row: r.reasons for r in checked.rejected}
    assert reasons == {
        3: ["The name is missing."],
        4: ["The email address is not valid."],
        5: ["The email address repeats line 2."],
        6: ["The name is longer than 120 characters."],
        7: ["The email address is longer than 254 characters."],
        8: ["Already invited to this campaign."],
    }


def test_formula_cells_are_escaped_for_spreadsheets():
    assert escape_formula("=1+1") == "'=1+1"
    assert escape_formula("@SUM(A1)") == "'@SUM(A1)"
    assert escape_formula("Dr Smith") == "Dr Smith"
