/**
 * The text of a new service file, every field explained for the operator
 * who fills it in (`npm run new:service -- <domain>`); the same text, for
 * `example.org`, is content/services/_template.md (a test keeps them equal).
 * Pure: the domain and the day in, the file out.
 */

/**
 * @param domain e.g. `example.org`
 * @param today the day the application is received, e.g. `2026-11-21`
 */
export function serviceTemplate(domain: string, today: string): string {
  return `---
# An IM service in the jabber.org directory. Every field is checked by
# "npm run check"; this file becomes ${domain}'s page on the status site.
# Questions: see "How to apply" on the site (/services/apply/).

# The name people see in the list, e.g. "Example IM".
name: ${domain}

# The XMPP domain people register on. Must equal the file name.
domain: ${domain}

# The service's website with information for users (how to reach you,
# terms). It must answer on port 443 or 80.
website: https://${domain}/

# How people create an account:
#   method: in-band   from their XMPP app (XEP-0077), or
#   method: web       on a sign-up page, given as url.
registration:
  method: in-band
  # url: https://${domain}/register

# Who runs the service: a person or an organisation, and at least one
# address jabber.org can reach them at (jid, email or both).
administrator:
  name: Your Name
  jid: admin@${domain}
  email: admin@${domain}

# Approximately where the server is: the two-letter country code
# (ISO 3166-1, e.g. DE, US, FR) and the nearest city.
location:
  country: DE
  city: Berlin

# The day you applied (opened the pull request), YYYY-MM-DD. The one-month
# testing period starts when the probes first reach the service.
applied: ${today}

# Filled in by jabber.org, not by you:
# phoneVerified: YYYY-MM-DD   the day an admin verified you by telephone
# withdrawn: YYYY-MM-DD       the day the service left the directory
---
Optional notes for people choosing a service, in Markdown: languages
spoken, costs, limits, anything they should know. Delete this text if
you have none.
`;
}
