"""Reference data shipped with the package: areas, offence taxonomy and peer groups."""
