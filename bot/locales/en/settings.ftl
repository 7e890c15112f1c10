settings-text =
    ⚙️ <b>Settings</b>
    Language: { $language }
    Time zone: { $timezone }
    Alerts: { $mode }
settings-saved = Saved
settings-pick_zone = Choose a time zone:
lang-ru = Русский
lang-en = English
mode-instant = at once, with sound
mode-silent = at once, silently
btn-zone = 🕐 Time zone
btn-mode_instant = 🔔 With sound
btn-mode_silent = 🔕 Silent
btn-back = ← Back
