from evaluation.readme_results import END, START, kept_stard, section


def test_a_results_section_without_stard_keeps_the_stard_part_as_it_stands():
    old = (
        f"{START}\n\n### Library `seeds`\n\nold table\n\n### STARD validation split\n\n| a |\n\n{END}\nafter"
    )
    kept = kept_stard(old)
    assert kept == ["### STARD validation split", "", "| a |", ""]
    run = {"date": "2026-12-05", "documents": 5, "questions": 2, "modes": {}}
    new = section({("seeds", "dev"): run}, None, kept)
    assert new.startswith(START) and new.endswith(END)
    assert "### STARD validation split\n\n| a |" in new and "old table" not in new
    assert kept_stard("no section here") == []


def test_statute_sets_get_one_row_each_with_retrieval_and_answers():
    mode = {
        "metrics": {"R@5": 0.9, "MRR@10": 0.75},
        "by_wording": {"everyday": {"R@5": 0.8}},
        "answers": {"contains_gold": 0.7, "unanswerable_declined": 0.6, "answerable_declined": 0.067},
    }
    run = {"date": "2026-12-05", "documents": 205, "questions": 45, "modes": {"hybrid-weighted": mode}}
    text = section({("seeds", "dev"): {**run, "modes": {}}}, None, [], {"heldout-statutes": run})
    assert "| heldout-statutes | measured only | 45 | 0.900 | 0.750 | 0.800 | 0.700 | 0.600 | 0.067 |" in text
