"""Writing the dataset: typed tables and safe CSV (formats), output folders swapped in whole
(generations), and a store's outputs rebuilt only where its documents changed (incremental)."""
