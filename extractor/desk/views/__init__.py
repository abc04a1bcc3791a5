"""The desk's pages, one module per page: documents list and queue, document, decisions, overview."""
