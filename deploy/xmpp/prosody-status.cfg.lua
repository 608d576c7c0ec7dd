-- What the status site needs from Prosody (0.12), for jabber.org.
--
-- Debian's prosody.cfg.lua ends with `Include "conf.d/*.cfg.lua"`: copy this
-- file to /etc/prosody/conf.d/status.cfg.lua (and mod_status_sos.lua to a
-- folder in plugin_paths), change the names if your domain is not
-- jabber.org, and restart Prosody. tests/notify-servers.test.ts and
-- `npm run bench:notify` include this very file, unchanged.
--
-- The account: prosodyctl adduser status@jabber.org

VirtualHost "jabber.org"
  -- Added to the global modules_enabled for this host:
  --   offline:    subscribers who are offline get the messages at login.
  --   ping:       the notifier counts messages as sent when a ping after
  --               them is answered.
  --   status_sos: the XEP-0455 field below, from mod_status_sos.lua.
  -- Not "smacks" (XEP-0198) here: with it, Prosody 0.12 closes sessions of
  -- @xmpp/client 0.14 (the notifier's library) with "The client says it
  -- handled -1 new stanzas" in its log; see the README.
  modules_enabled = { "roster"; "offline"; "ping"; "status_sos" }
  -- XEP-0455: where clients look when they cannot connect.
  status_sos_addresses = { "https://status.jabber.org/api/outage.json" }

-- The notifier's account may create the status node(s): admin of this component only.
Component "pubsub.jabber.org" "pubsub"
  admins = { "status@jabber.org" }
  -- Prosody caps max_items at 256 by default; the site's pubsub.maxItems (1000) must fit.
  pubsub_max_items = 1000
  -- Prosody's default "internal" storage rewrites a node's whole file on
  -- every publish (61 ms per item with 1,000 items, and growing): SQLite
  -- writes one row. Needs the Debian package lua-dbi-sqlite3. The file is
  -- in Prosody's data folder.
  storage = { pubsub_nodes = "sql"; pubsub_data = "sql" }
  sql = { driver = "SQLite3"; database = "pubsub.sqlite" }

Component "conference.jabber.org" "muc"
  -- status@conference.jabber.org is created persistent by the notifier's
  -- first run; only local accounts may create rooms.
  restrict_room_creation = "local"
