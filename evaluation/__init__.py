"""The evaluation harness: gold questions, hit rules, retrieval and answer metrics, reports."""
