"""Chat-level channel tests run the same bot as tests/chat (its fixtures, imported here)."""

from tests.chat.conftest import bot_settings, chatbot, stub_options

__all__ = ["bot_settings", "chatbot", "stub_options"]
