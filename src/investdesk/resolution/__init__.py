"""Entity resolution: one record per real organization or person."""
