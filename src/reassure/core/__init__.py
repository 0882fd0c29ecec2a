"""Framework-free shared kernel: nations, grading, markings, quantities, time."""
