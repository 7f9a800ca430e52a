"""policeperf."""
