# The few words of an alert that are ours rather than the feed's.
alerts-untitled = Untitled
alerts-held_back = { $count ->
        [one] { $count } more match
       *[other] { $count } more matches
    } — /recent
# The line listing other outlets' reports of the same story: "Also: TASS, RIA Novosti, +2".
alerts-also = Also:
alerts-also_unnamed = untitled
alerts-also_more = +{ $count }
