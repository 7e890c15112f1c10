sub-prompt = Send the query: a word, a "quoted phrase" or several queries separated by commas. /cancel to cancel.
sub-saved = ✅ <b>{ $query }</b>
sub-duplicate = ☑️ <b>{ $query }</b> — you already have this subscription.
sub-limit = ⛔ <b>{ $query }</b> — not saved: this chat already has { $limit ->
        [one] { $limit } subscription
       *[other] { $limit } subscriptions
    }, the limit. Delete some in /list.
sub-invalid = ❌ <b>{ $query }</b> — { $error }
sub-footer = Subscriptions work at once: the next matching news item will reach you. All subscriptions: /list; search past news: /recent query.
sub-nothing = I see no query. Example: <code>/sub Лавров</code>
desc-line = • { $text } — { $meaning }
desc-negated = • not { $text } — { $meaning }
desc-or = or:
desc-word = any form: { $examples }…
desc-word_plain = any form of the word
desc-word_guess = not in the dictionary; forms guessed from endings
desc-name = a name, any form: { $examples }…
desc-name_plain = a name, any form
desc-abbreviation = an abbreviation: only this word, also with a case ending («{ $text }е», «{ $text }а»)
desc-exact = exactly this, whole
desc-english = an English word, any form
desc-phrase = a phrase: the words adjacent and in order, each in any form
desc-prefix = any word beginning with «{ $prefix }»
desc-spelling = the Latin spelling of a name, as written
desc-also = • { $text } — also: { $names }. Without them: <code>{ $exact }</code>
desc-also_negated = • not { $text } — nor: { $names }
desc-also_more = { $count ->
        [one] and { $count } more name
       *[other] and { $count } more names
    }
qerr-empty = the query is empty.
qerr-too_long = the query is { $length } characters long; the limit is { $limit }.
qerr-comma = a comma is not part of a query: it separates subscriptions.
qerr-only_exclusions = the query only excludes words (marked with «-»): add a word to look for.
qerr-branch_only_exclusions = the alternative «{ $branch }» only excludes words: each side of OR needs a word to look for.
qerr-too_many_terms = the query has { $count } words; the limit is { $limit }.
qerr-unbalanced_quote = a quotation mark is not closed: put a phrase between two " marks.
qerr-dangling_or = OR (or |) must stand between two alternatives, e.g. «Лавров OR Песков».
qerr-empty_phrase = an empty phrase in quotes: { $term }.
qerr-wildcard_in_phrase = { $term }: * works on single words, not inside a quoted phrase.
qerr-no_letters = «{ $term }» has no letters or digits.
qerr-bad_wildcard = { $term }: * may only end a word, as in «санкц*».
qerr-prefix_too_short = { $term }: put at least { $min ->
        [one] { $min } letter
       *[other] { $min } letters
    } before *.
qerr-unknown = the query cannot be understood: { $message }
list-empty = No subscriptions yet. Add one: <code>/sub Лавров</code>
list-header = 📋 Subscriptions: { $count } of { $limit }
list-line = { $n }. { $query }
list-line_paused = { $n }. { $query } — paused
list-chat_paused = ⏸ All alerts of this chat are paused: /resume
list-hint = Buttons: ⏸ pause, ▶️ resume, 🗑 delete.
btn-pause = ⏸ { $n }. { $query }
btn-resume = ▶️ { $n }. { $query }
btn-delete = 🗑 { $n }
btn-unsub = 🗑 { $n }. { $query }
cb-paused = Subscription paused
cb-resumed = Subscription resumed
cb-deleted = Subscription deleted
cb-subscribed = Done
unsub-ask = Which subscription should I delete?
unsub-done = 🗑 Subscription <b>{ $query }</b> deleted.
unsub-no_number = There is no subscription number { $n }; there are { $count }. See /list
unsub-not_found = There is no subscription «{ $query }». Numbers and texts are in /list
pause-done = ⏸ Alerts paused; subscriptions are kept. Resume with /resume
pause-already = Alerts are already paused. Resume with /resume
resume-done = ▶️ Alerts are on again.
resume-already = Alerts are already on.
cancel-done = Cancelled.
cancel-nothing = Nothing to cancel.
btn-alert_unsub = Unsubscribe: { $query }
btn-alert_similar = Similar
btn-alert_similar_q = Similar: { $query }
sub-more = { $count ->
        [one] … and { $count } more query: send it separately.
       *[other] … and { $count } more queries: send them separately.
    }
