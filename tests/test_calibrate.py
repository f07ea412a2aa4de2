from evaluation.calibrate import choose_threshold


def test_threshold_sits_in_the_gap():
    scored = [(True, 0.9), (True, 0.6), (True, 0.5), (False, 0.3), (False, 0.2)]
    t, figs = choose_threshold(scored, max_wrong=0.0)
    assert t == 0.4
    assert figs == {"unanswerable_declined": 1.0, "answerable_declined": 0.0}


def test_threshold_allows_a_few_wrong_declines_when_needed():
    scored = [(True, 0.9), (True, 0.8), (True, 0.7), (True, 0.2), (False, 0.3)] + [(True, 0.95)] * 15
    t, figs = choose_threshold(scored, max_wrong=0.1)
    assert t == 0.5  # midway between the unanswerable 0.3 and the answerable 0.7
    assert figs["unanswerable_declined"] == 1.0
    assert round(figs["answerable_declined"], 3) == round(1 / 19, 3)  # the 0.2 one
