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
    assert (
        "| heldout-statutes | read for rules | 45 | 0.900 | 0.750 | 0.800 | 0.700 | 0.600 | 0.067 |" in text
    )


def test_each_statute_set_states_its_role():
    from evaluation.readme_results import role

    names = ("statutes-own", "blind-statutes", "sealed-statutes", "lengths-own", "sealed-seeds")
    assert [role(n) for n in names] == [
        "fit",
        "read for rules",
        "measured; answers seen once",
        "written with its rule",
        "measured only",
    ]


def test_each_library_section_states_its_intervals():
    scores = {
        "R@5": {"a": 1.0, "b": 1.0},
        "MRR@10": {"a": 1.0, "b": 0.5},
        "gold quote": {},
        "unanswerable declined": {"u": 1.0},
        "answerable declined": {"a": 0.0, "b": 0.0},
    }
    run = {"date": "2026-12-06", "documents": 5, "questions": 3, "modes": {}, "per_question": scores}
    text = section({("seeds", "dev"): run}, None, [])
    assert (
        "R@5 [1.000, 1.000], MRR@10 [0.500, 1.000], unanswerable declined [1.000, 1.000] (n=1), "
        "answerable declined [0.000, 0.000]." in text
    )
    assert "gold quote" not in text  # no answers judged: no figure


def test_a_measured_stard_part_carries_its_date_in_its_heading():
    run = {"date": "2026-12-06", "documents": 5, "questions": 40, "modes": {}}
    stard = {"title": "STARD validation split", "date": "2026-12-05", "modes": {}}
    text = section({("seeds", "dev"): run}, stard)
    assert "### STARD validation split, `policyqa eval --benchmark stard` (measured 2026-12-05)" in text
    assert kept_stard(text)[0].endswith("(measured 2026-12-05)")  # and a later --no-stard run keeps it


def test_further_seed_sets_get_one_row_per_library():
    mode = {
        "metrics": {"R@5": 0.95, "MRR@10": 0.8},
        "by_wording": {},
        "answers": {"contains_gold": 0.85, "unanswerable_declined": 0.9, "answerable_declined": 0.05},
    }
    run = {"date": "2026-12-07", "documents": 5, "questions": 61, "modes": {"hybrid-weighted": mode}}
    seeds = {("fresh-seeds", "seeds"): run, ("sealed-seeds", "seeds+laws"): run}
    text = section({("seeds", "dev"): {**run, "modes": {}}}, None, [], None, seeds)
    assert "| fresh-seeds | read for rules | seeds | 61 | 0.950 | 0.800 |  | 0.850 | 0.900 | 0.050 |" in text
    assert "| sealed-seeds | measured only | seeds+laws | 61 |" in text
    assert "every side" not in text  # no comparison questions, no line for them


def test_a_comparison_set_states_how_many_comparisons_hold_every_side():
    answers = {
        "contains_gold": 0.9,
        "unanswerable_declined": 0,
        "answerable_declined": 0,
        "compare_every_side": 0.75,
        "unanswerable_questions": 0,  # none: the declined share is left blank, not 0.000
    }
    mode = {"metrics": {"R@5": 0.9, "MRR@10": 0.8}, "by_wording": {}, "answers": answers}
    run = {"date": "2026-12-07", "documents": 5, "questions": 22, "modes": {"hybrid-weighted": mode}}
    text = section({("seeds", "dev"): {**run, "modes": {}}}, None, [], None, {("compare-own", "seeds"): run})
    assert (
        "| compare-own | written with its rule | seeds | 22 | 0.900 | 0.800 |  | 0.900 |  | 0.000 |" in text
    )
    assert "Comparisons with every side held or cited (not just one): compare-own in seeds 0.750." in text


def test_out_of_scope_questions_get_one_row_per_library_with_the_share_declined():
    from evaluation.readme_results import out_of_scope_table

    def run(declined):
        answers = {"unanswerable_declined": declined}
        return {"questions": 80, "modes": {"hybrid-weighted": {"metrics": {}, "answers": answers}}}

    lines = out_of_scope_table(
        {("out-of-scope", "seeds"): run(0.2375), ("out-of-scope-2", "seeds+laws"): run(0.2)}
    )
    assert "| out-of-scope | seeds | 80 | 0.237 |" in lines
    assert "| out-of-scope-2 | seeds+laws | 80 | 0.200 |" in lines
    assert out_of_scope_table({}) == []
    text = section(
        {("seeds", "dev"): {"date": "d", "documents": 5, "questions": 1, "modes": {}}},
        None,
        [],
        out_of_scope={("out-of-scope", "seeds"): run(0.5)},
    )
    assert "### Out-of-scope questions" in text and "| out-of-scope | seeds | 80 | 0.500 |" in text
