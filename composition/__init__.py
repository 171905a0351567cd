"""The composition root: settings, and `build_services`, which every entry point and test
uses to get the store, the handlers (each with only its collaborators) and the views."""
