start-text =
    👋 I send you news for your subscriptions. Write a word or a phrase and get every news item that mentions it, in any grammatical form: «Лавров» also finds «Лаврова» and «Лаврову».
    {""}
    The news comes from the feeds of major Russian agencies and outlets; add your own feeds with /addfeed.
    {""}
    Try an example with a button below or send <code>/sub query</code>. How to write queries and all commands: /help.
    {""}
    Language: English (change it in /settings).
help-text =
    <b>How to write queries</b>
    <code>Лавров</code> — the word in any form: Лаврова, Лаврову, ЛАВРОВ
    <code>Лавров Рубио</code> — all the words, in any order and form
    <code>"прямое авиасообщение"</code> — the words adjacent and in order: «прямого авиасообщения»
    <code>Лавров OR Песков</code>, <code>Лавров | Песков</code> — either alternative
    <code>Лавров -Захарова</code> — without the excluded word (or <code>-"phrase"</code>)
    <code>санкц*</code> — words beginning like this (at least 3 letters before *)
    Case and ё/е do not matter. Abbreviations (<code>МИД</code>, <code>США</code>) match only themselves, also «МИДе»; words with digits (<code>G20</code>, <code>ОПЕК+</code>) match whole. A query has at most 256 characters and 12 words.
    {""}
    <b>Commands</b>
    /sub query — subscribe; several separated by commas: <code>/sub Лавров, "прямое авиасообщение"</code>
    /list — your subscriptions, pause and delete with buttons
    /unsub number or text — delete a subscription
    /recent — latest news for your subscriptions; /recent query — search the news of the last { $days ->
        [one] day
       *[other] { $days } days
    }
    /feeds — feeds and their health; /addfeed URL, /delfeed — your own feeds
    /export — your own feeds as an OPML file, /export subs — subscriptions as a list; /import or just the file — load them back
    /pause, /resume — stop and resume all alerts
    /quiet 23-8 — quiet hours: news in that time arrives as one digest; <code>/sub !query</code> — an urgent subscription, always at once; hourly or daily digests: <code>/digest hourly</code>, <code>/digest 9:00</code> or /settings
    /settings — language, time zone, alert mode, stories; /timezone Asia/Almaty — any time zone
    /cancel — cancel input
    A question in plain text («Что нового по Лаврову?») gets the latest news about it and a button to subscribe.
    {""}
    In groups only administrators may change subscriptions, feeds and settings.
cmd-start = what the bot does
cmd-help = query language and commands
cmd-sub = subscribe: /sub Лавров, "прямое авиасообщение"
cmd-list = my subscriptions
cmd-unsub = delete a subscription
cmd-recent = latest news or a search
cmd-feeds = feeds and their health
cmd-addfeed = add your own feed
cmd-delfeed = delete or switch off a feed
cmd-pause = pause alerts
cmd-resume = resume alerts
cmd-settings = language, time zone, mode
cmd-cancel = cancel input
cmd-export = export feeds (OPML) or subscriptions
cmd-import = import feeds or subscriptions from a file
