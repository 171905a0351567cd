"""The read side: projections of the event store into query tables (CQRS views)."""
