"""reassure: plan, run and monitor a multinational reassurance force."""

__version__ = "0.1.0"
