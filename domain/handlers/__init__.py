"""One handler class per area: each gets an aggregate, calls its command, records it.

Each is built by the composition root with only the collaborators it uses, and each
command returns the position of what it recorded so the edge can wait for the views it reads.
"""
