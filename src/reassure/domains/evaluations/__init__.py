"""Stored rule evaluations: a rule's state as of a day, with its evidence, marked like the incidents it rests on."""
