# Full text of articles (bot/fulltext): the mode of each feed in /feeds, its buttons.
fulltext-mode-auto = auto
fulltext-mode-always = always
fulltext-mode-never = never
fulltext-note = 📄 full text of articles: { $mode }
fulltext-failed = 📄 article page not read: { $error }
fulltext-hint = 📄 Full text: “auto” reads article pages when a feed gives only a title or a lead; “always”; “never”. The button switches the mode.
btn-fulltext = 📄 { $title }: { $mode }
cb-fulltext = Full text: { $mode }
