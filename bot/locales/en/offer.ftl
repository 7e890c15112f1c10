offer-text = Subscribe to this?
btn-offer = Subscribe to «{ $text }»
cb-offer_stale = This offer is out of date; send the text again
