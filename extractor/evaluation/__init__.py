"""Scoring derek against annotated corpora (the span mode of `derek eval`).

extractor/evaluate.py scores records against the project's gold CSVs; this package scores
figure spans against entity-annotated corpora (IOB2 such as KazNERD, brat standoff).
"""
