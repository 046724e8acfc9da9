"""Documents: stored once by sha256, their extracted items, and the review that turns them into records."""
