"""derek in other libraries' ecosystems; each integration imports its library itself."""
