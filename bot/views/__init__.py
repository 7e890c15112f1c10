"""What replies say: texts built from the domain's results, sized to fit Telegram.

Handlers parse an update, call the domain and pass its result here; nothing in this package
talks to Telegram or storage.
"""
