-- mod_status_sos: advertises where to read about outages (XEP-0455,
-- Service Outage Status) in the server's disco#info, so a client that
-- cannot log in can tell its user where to look.
--
-- Configuration (per VirtualHost), e.g.
--   status_sos_addresses = { "https://status.jabber.org/api/outage.json" }
-- Tested by tests/notify-servers.test.ts against Prosody 0.12.
local st = require "util.stanza";

local addresses = module:get_option_array("status_sos_addresses", {});
if #addresses == 0 then
	module:log("error", "status_sos_addresses is empty; set it to your status document's URL, e.g. { \"https://status.example.org/api/outage.json\" }");
	return;
end

local form = st.stanza("x", { xmlns = "jabber:x:data", type = "result" })
	:tag("field", { var = "FORM_TYPE", type = "hidden" }):text_tag("value", "urn:xmpp:sos:0"):up()
	:tag("field", { var = "external-status-addresses", type = "list-multi" });
for _, url in ipairs(addresses) do
	form:text_tag("value", url);
end
form:up();

module:add_extension(form);
