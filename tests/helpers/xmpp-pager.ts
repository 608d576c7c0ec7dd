/**
 * An admin's or subscriber's chat client on a test server: logs in over
 * loopback and collects the body of every chat message into `into`.
 */
import { client, type XmppClient } from '@xmpp/client';
import type { Element } from '@xmpp/xml';

export function xmppPager(server: { port: number; domain: string; password: string }, username: string, into: string[]): XmppClient {
  const c = client({ service: `xmpp://127.0.0.1:${server.port}`, domain: server.domain, username, password: server.password, resource: 'pager' });
  c.reconnect.stop();
  c.on('error', () => undefined);
  c.on('stanza', (s: Element) => {
    if (s.name === 'message' && s.attrs.type === 'chat' && s.getChild('body')) into.push(s.getChildText('body')!);
  });
  return c;
}
