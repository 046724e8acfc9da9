"""Excel and CSV exchange of MoUs and leads: flexible-header imports, all or nothing, and exports."""
