"""The CP-SAT path: the model, its objectives and stages, and the capacity bounds."""
