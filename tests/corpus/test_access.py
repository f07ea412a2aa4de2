import pytest

from corpus.access import ANONYMOUS, BadAccess, Reader, can_read, groups_of, parse_access

STAFF = Reader("staff", frozenset({"staff"}), known=True)
FINANCE = Reader("fin", frozenset({"finance"}), known=True)
ADMIN = Reader("admin", admin=True, known=True)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("public", "public"),
        (" internal ", "internal"),
        ("group:b,group:a,group:b", "group:a,group:b"),
        ("group:应急局", "group:应急局"),
    ],
)
def test_access_levels_have_one_canonical_form(text, canonical):
    assert parse_access(text) == canonical


@pytest.mark.parametrize("text", ["", "secret", "group:", "group:a,b", "group:a b", "public,internal"])
def test_malformed_access_levels_are_refused(text):
    with pytest.raises(BadAccess):
        parse_access(text)


def test_groups_of_reads_the_named_groups():
    assert groups_of("group:a,group:b") == {"a", "b"}
    assert groups_of("internal") == frozenset()


@pytest.mark.parametrize(
    ("access", "readers"),
    [
        ("public", {"anonymous", "staff", "fin", "admin"}),
        ("internal", {"staff", "fin", "admin"}),
        ("group:finance", {"fin", "admin"}),
        ("group:finance,group:staff", {"staff", "fin", "admin"}),
        ("group:nobody", {"admin"}),
        ("garbled level", {"admin"}),  # an unreadable level is closed, not open
    ],
)
def test_who_reads_what(access, readers):
    everyone = {"anonymous": ANONYMOUS, "staff": STAFF, "fin": FINANCE, "admin": ADMIN}
    assert {name for name, r in everyone.items() if can_read(access, r)} == readers
