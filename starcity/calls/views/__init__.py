"""Pages of calls, applications and the city's unified submission (thin views)."""
