"""Storage adapters: the SQLite store behind the core's Store port."""
