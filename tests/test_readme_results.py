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
