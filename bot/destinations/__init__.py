"""Chats configured from elsewhere: channels, managed from their administrators' private chats."""
