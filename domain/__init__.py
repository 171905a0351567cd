"""The write side: aggregates, their events and the use cases that change them."""
