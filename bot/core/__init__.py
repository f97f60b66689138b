"""The platform-free core: content, quiz rules, scoring, scheduling. Imports no chat platform."""
