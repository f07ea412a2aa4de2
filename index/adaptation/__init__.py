"""Query-side adaptation of the embedding model: a linear map on query vectors, learned from
(question, passage) pairs of documents the system is *not* evaluated on (STARD, statutes). The passage
index is untouched, so an adapter can be switched on or off without re-embedding anything."""
