# /export and /import: feeds as OPML, subscriptions as a text list.
export-no-feeds = This chat has no feeds of its own, so there is nothing to export: the bot gives its default feeds to every chat. Add one with /addfeed; export subscriptions with <code>/export subs</code>.
export-opml-title = Feeds of { $chat }
export-feeds-caption = { $count ->
        [one] { $count } feed
       *[other] { $count } feeds
    } of this chat's own (the default feeds are not in the file). Send the file to the bot in another chat or open it in any RSS reader.
export-no-subs = There are no subscriptions to export: <code>/sub query</code>.
export-list-header = Subscriptions of { $chat } on { $date }. One subscription a line, ⏸ marks a paused one. Send this file to the bot to restore them.
export-subs-caption = { $count ->
        [one] { $count } subscription
       *[other] { $count } subscriptions
    }, one a line; ⏸ marks a paused one. Send the file to the bot to restore them here or in another chat.
export-usage = <code>/export</code> sends your own feeds as an OPML file, <code>/export subs</code> your subscriptions as a list.
import-prompt = Send an OPML file of feeds (.opml) or a list of subscriptions: a .txt file or a message, one query a line.
import-unknown-file = I import feeds from an OPML file (.opml, .xml) and subscriptions from a text list (.txt). This file is neither; I did not open it.
import-too-big = The file is larger than { $kb } KB, which I do not read. Split it into parts. Nothing was changed.
import-download-failed = I could not get the file from Telegram. Please send it again. Nothing was changed.
import-list-encoding = The list is not UTF-8 text. Save it as UTF-8 and send it again. Nothing was changed.
import-list-empty = The list has no query in it: send one query a line.
import-busy = I am still importing the feeds of your previous file. Send the next one after I report.
import-checking = ⏳ Checking { $count ->
        [one] { $count } feed
       *[other] { $count } feeds
    } from the file. Keep using the bot; the summary comes as a separate message.
import-feeds-summary = 📥 Feeds from the file: { $added }, { $already }, { $refused }.
import-feeds-added = { $count } added
import-feeds-already = { $count ->
        [one] { $count } was already there
       *[other] { $count } were already there
    }
import-feeds-refused = { $count } refused
import-duplicates = { $count ->
        [one] { $count } repeated entry skipped
       *[other] { $count } repeated entries skipped
    }.
import-pages = { $count ->
        [one] { $count } website link without a feed address skipped
       *[other] { $count } website links without a feed address skipped
    }.
import-feeds-next = New items of the added feeds are checked against your subscriptions: /feeds
import-refused-head = <b>Not added:</b>
import-refused-line = • { $url } — { $reason }
import-more = …and { $count } more
import-why-limit = the chat already has its limit of { $limit ->
        [one] { $limit } own feed
       *[other] { $limit } own feeds
    }
import-why-http_error = the site answered with error { $status }
import-why-invalid_url = not an http:// or https:// address
import-why-busy = the chat was checking another feed at the time
import-why-forbidden = an internal or reserved address
import-why-unreachable = the site does not answer
import-why-too_big = the feed is too big
import-why-not_a_feed = not an RSS or Atom feed
import-why-empty = the feed has no items
import-why-channel_link = a Telegram link, but not to a public channel
import-why-channel_private = the channel is private or does not exist
import-why-channel_unreadable = the channel's page cannot be read
import-why-other = could not be checked
import-subs-summary = 📥 Subscriptions from the list: { $added }, { $already }, { $refused }.
import-subs-added = { $count } added
import-subs-already = { $count ->
        [one] { $count } was already there
       *[other] { $count } were already there
    }
import-subs-refused = { $count } not saved
import-subs-paused = { $count ->
        [one] { $count } of them is paused, as in the list.
       *[other] { $count } of them are paused, as in the list.
    }
import-subs-next = All subscriptions: /list
import-subs-refused-head = <b>Not saved:</b>
import-subs-line = • line { $line }: <b>{ $query }</b> — { $reason }
import-subs-why-limit = the chat already has its limit of { $limit ->
        [one] { $limit } subscription
       *[other] { $limit } subscriptions
    }
import-opml-not_xml = The file is damaged: it is not XML. Nothing was added.
import-opml-not_opml = This is not an OPML file: it holds no list of feeds. Nothing was added.
import-opml-entities = The file has XML declarations (DOCTYPE, entities). I do not open such files: they can carry a harmful payload. Export the feeds from your reader again. Nothing was added.
import-opml-encoding = The file is not in the encoding it declares. Save it as UTF-8 and send it again. Nothing was added.
import-opml-too_many = The file has more than { $max } entries, which I do not read. Split it into parts. Nothing was added.
import-opml-no_feeds = The OPML file has no feed in it (no xmlUrl address). Nothing was added.
