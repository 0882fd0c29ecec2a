"""Stored rotation plans: the problem they solved, their settings, results, author and marking; what-ifs link a base."""
