offer-text = Subscribe to this?
btn-offer = Subscribe to «{ $text }»
cb-offer_stale = This offer is out of date; send the text again
offer-question_empty = I could not tell who or what the question is about. Ask, for example: «What is new about Lavrov?» The latest news for your subscriptions: /recent
