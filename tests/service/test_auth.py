import pytest

from corpus.access import ANONYMOUS
from service.api.auth import Unauthorized, reader_for
from service.settings import TokenIdentity

TOKENS = {
    "s3cret-staff": TokenIdentity(name="staff", groups=["staff"]),
    "s3cret-admin": TokenIdentity(name="admin", admin=True),
}


def test_no_header_is_anonymous():
    assert reader_for(None, TOKENS) == ANONYMOUS
    assert reader_for("  ", TOKENS) == ANONYMOUS


def test_a_known_token_maps_to_its_identity():
    reader = reader_for("Bearer s3cret-staff", TOKENS)
    assert (reader.name, reader.groups, reader.admin, reader.known) == ("staff", {"staff"}, False, True)
    assert reader_for("bearer   s3cret-admin ", TOKENS).admin


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer", "Basic czNjcmV0", "s3cret-staff"])
def test_unknown_or_malformed_credentials_are_refused_not_read_as_anonymous(header):
    with pytest.raises(Unauthorized):
        reader_for(header, TOKENS)
