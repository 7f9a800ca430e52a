"""``python -m policeperf`` runs the command line."""

from policeperf.cli import main

if __name__ == "__main__":
    main()
