"""Logs in once with slixmpp (Debian's python3-slixmpp), a standard XMPP
client, and prints one JSON line: {"ok": true, "mechanism": ...} or
{"ok": false, "error": ...}. Used beside the probe (tests/probe-matrix.test.ts,
issue 21): wherever this client logs in, the probe must too.

Usage: slixmpp-login.py JID PASSWORD HOST PORT CA_FILE  (password on argv is
fine here: a test account on a loopback server made by the test)."""
import asyncio
import json
import logging
import sys

import slixmpp

logging.disable(logging.CRITICAL)
jid, password, host, port, ca_file = sys.argv[1:6]
client = slixmpp.ClientXMPP(jid, password)
client.ca_certs = ca_file
result = {"ok": False, "error": "timed out"}
done = asyncio.get_event_loop().create_future()


def finish(outcome):
    result.clear()
    result.update(outcome)
    if not done.done():
        done.set_result(None)


def on_session(_event):
    mech = client["feature_mechanisms"].mech
    finish({"ok": True, "mechanism": mech.name if mech else None})


client.add_event_handler("session_start", on_session)
client.add_event_handler("failed_all_auth", lambda _e: finish({"ok": False, "error": "authentication failed"}))
client.add_event_handler("connection_failed", lambda e: finish({"ok": False, "error": f"connection failed: {e}"}))
client.add_event_handler("ssl_invalid_chain", lambda e: finish({"ok": False, "error": f"invalid certificate: {e}"}))
client.connect(address=(host, int(port)))
try:
    client.loop.run_until_complete(asyncio.wait_for(done, 20))
except asyncio.TimeoutError:
    pass
client.disconnect()
print(json.dumps(result))
