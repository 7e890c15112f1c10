settings-text =
    ⚙️ <b>Settings</b>
    Language: { $language }
    Time zone: { $timezone }
    Alerts: { $mode }
    Stories: { $stories }
    Delivery: { $schedule }
    Quiet hours: { $quiet }
settings-saved = Saved
settings-pick_zone = Choose a time zone:
lang-ru = Русский
lang-en = English
mode-instant = at once, with sound
mode-silent = at once, silently
btn-zone = 🕐 Time zone
btn-mode_instant = 🔔 With sound
btn-mode_silent = 🔕 Silent
stories-on = one alert per story, other sources are added to it silently
stories-off = off, every item alerts on its own
btn-stories_on = 🗂 By story
btn-stories_off = 📰 Every item
btn-back = ← Back
settings-type_zone = Or type your own: <code>/timezone Asia/Almaty</code>, <code>/timezone UTC+5</code>.
settings-bad_zone = I do not know the time zone «{ $zone }». Type a name from the time zone database, such as <code>/timezone Asia/Almaty</code> or <code>/timezone Europe/Paris</code>, or an offset in whole hours: <code>/timezone UTC+5</code>.
settings-zone_saved = 🕐 Time zone: { $timezone }. Alert times now follow it.
cmd-timezone = time zone: /timezone Asia/Almaty
zone-Europe_Kaliningrad = Kaliningrad
zone-Europe_Moscow = Moscow
zone-Europe_Samara = Samara
zone-Asia_Yekaterinburg = Yekaterinburg
zone-Asia_Omsk = Omsk
zone-Asia_Novosibirsk = Novosibirsk
zone-Asia_Krasnoyarsk = Krasnoyarsk
zone-Asia_Irkutsk = Irkutsk
zone-Asia_Yakutsk = Yakutsk
zone-Asia_Vladivostok = Vladivostok
zone-Asia_Magadan = Magadan
zone-Asia_Kamchatka = Kamchatka
zone-Europe_Minsk = Minsk
zone-Europe_Kyiv = Kyiv
zone-Asia_Almaty = Almaty
zone-Europe_Berlin = Berlin
zone-Europe_London = London
schedule-instant = at once
schedule-hourly = as an hourly digest
schedule-daily = as a daily digest at { $time }
quiet-none = none (<code>/quiet 23-8</code>)
quiet-range = { $start }–{ $end }
btn-schedule_instant = ⚡ At once
btn-schedule_hourly = 🕐 Hourly
btn-schedule_daily = 📅 Daily
btn-quiet_off = 🌙 Quiet hours off
cmd-quiet = quiet hours: /quiet 23-8
cmd-digest = digest: /digest 9:00, /digest hourly
