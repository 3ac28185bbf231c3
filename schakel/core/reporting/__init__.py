"""Pure reporting logic: periods of a reporting cycle and their due dates."""
