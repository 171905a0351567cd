"""Use cases, grouped by the part of the product they change."""
