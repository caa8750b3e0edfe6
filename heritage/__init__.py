"""Heritage archive: festivals and customs, catalogued under cultural protocols."""
