"""Tuning a subscription from the alert it caused: why it fired, a word to exclude, a story to
mute, a subscription to snooze. Pure functions over matching and time; storage and Telegram
stay in storage/tuning.py and handlers/tuning.py."""
