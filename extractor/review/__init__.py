"""Editors' review of extracted figures: decisions kept in the store, the queue of likely
errors, the corrected dataset, gold files for `derek eval`, and the Label Studio round-trip."""
