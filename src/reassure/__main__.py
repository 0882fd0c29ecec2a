"""Run the reassure CLI as `python -m reassure`."""

from reassure.cli.main import run

if __name__ == "__main__":
    run()
