"""Follow-ups: tasks with an owner, a due date and a state, each following one record (docs/adr/0043)."""
