"""Resident accounts in the portal: email sign-in, my requests, saved addresses, preferences."""
