"""National scale: record-level monthly measures and other Ibis engines (Spark, PostgreSQL)."""
