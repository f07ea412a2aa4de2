"""The ablation report: each row changes real settings and modes, and the table reads as it should."""

from evaluation.ablation import ABLATIONS, table
from evaluation.modes import MODES
from service.settings import Settings


def test_every_ablation_changes_a_real_setting_or_mode():
    """model_copy does not validate: a misspelt field would silently change nothing."""
    fields = set(Settings.model_fields)
    assert ABLATIONS[0].name == "shipped" and not ABLATIONS[0].settings
    for ablation in ABLATIONS[1:]:
        assert set(ablation.settings) <= fields, ablation.name
        assert ablation.mode in MODES, ablation.name
        assert ablation.settings or ablation.mode != "hybrid-weighted", f"{ablation.name} changes nothing"
        changed = Settings().model_copy(update=ablation.settings)
        assert all(getattr(changed, k) != getattr(Settings(), k) for k in ablation.settings), ablation.name


def test_table_rows_read_recall_mrr_and_everyday_recall():
    rows = [
        {
            "name": "shipped",
            "sets": {
                "a": {"R@5": 0.9, "MRR@10": 0.75, "everyday R@5": 0.8},
                "b": {"R@5": 1.0, "MRR@10": 0.5},
            },
        },
        {"name": "BM25 alone", "sets": {"a": {"R@5": 0.5, "MRR@10": 0.25}, "b": {"R@5": 0.0, "MRR@10": 0.0}}},
    ]
    assert table(rows, ["a", "b"]) == [
        "| build | a | b |",
        "| --- | --- | --- |",
        "| shipped | 0.900 / 0.750 (0.800) | 1.000 / 0.500 |",
        "| BM25 alone | 0.500 / 0.250 | 0.000 / 0.000 |",
    ]
