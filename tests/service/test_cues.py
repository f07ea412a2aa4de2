"""What a span must show for a question's cue (service.answering.cues): exact expectations."""

import pytest

from service.answering.cues import cue_score, question_cues


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("推进渝中区、渝北区等区县创建国家安全发展示范城市", 1.0),  # two items closed by 等: a list
        ("重点整治燃气、电气、消防三个领域", 1.0),  # three items
        ("3个以上区县成功创建国家安全发展示范城市", 0.0),  # a count names no members
        ("加强应急、消防工作", 0.0),  # two items, nothing says the list goes on
    ],
)
def test_which_ones_wants_an_enumeration(text, expected):
    assert cue_score(question_cues("哪些区县创建国家安全发展示范城市"), text) == expected
