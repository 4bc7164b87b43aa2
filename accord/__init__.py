"""Accord: a platform for facilitated, institutionalised negotiation processes."""
