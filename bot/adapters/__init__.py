"""Chat adapters: translate between a chat platform (or the terminal) and the study service."""
