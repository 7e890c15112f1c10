"""Public Telegram channels as sources: a channel is a feed whose URL is its preview page.

`names` reads what people type (@name, t.me links) and builds the addresses; `page` reads a
preview page into feed items; `preview` fetches pages from TELEGRAM_CHANNEL_PREVIEW_URL.
"""
