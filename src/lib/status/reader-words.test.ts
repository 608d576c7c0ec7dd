import { expect, test } from 'vitest';
import { listNames, readerName, relativeWords, shortName, shortTime, spanWords, staleSentence } from './reader-words.ts';

const NOW = new Date('2026-11-21T12:00:00Z');

test.each([
  // full name → the short name used when there is no readerName
  ['Client connections (port 5222)', 'Client connections'],
  ['Multi-user chat (conference.jabber.org)', 'Multi-user chat'],
  ['Account registration', 'Account registration'],
  ['(odd)', '(odd)'],
])('shortName(%j) is %j', (name, short) => expect(shortName(name)).toBe(short));

test('a component is named by what it lets readers do when site.yaml says so, else by its short name', () => {
  expect(readerName({ name: 'Multi-user chat (conference.jabber.org)', readerName: 'Group chats' })).toBe('Group chats');
  expect(readerName({ name: 'Multi-user chat (conference.jabber.org)' })).toBe('Multi-user chat');
});

test.each([
  [[], ''],
  [['A'], 'A'],
  [['A', 'B'], 'A and B'],
  [['A', 'B', 'C'], 'A, B and C'],
  // two components with one reader name are one thing to the reader
  [['A', 'A', 'B'], 'A and B'],
  [['A', 'B', 'C', 'D', 'E'], 'A, B, C and 2 more'],
])('listNames(%j) reads %j', (names, text) => expect(listNames(names)).toBe(text));

test.each([
  // instant → as a headline writes it at NOW (no-break spaces shown as ~)
  ['2026-11-21T06:40:00Z', '06:40~UTC'],
  ['2026-11-09T06:40:00Z', '9~Nov 06:40~UTC'],
  ['2025-12-31T23:59:00Z', '31~Dec~2025 23:59~UTC'],
])('shortTime(%s) reads %j: the date only when it is not today', (at, text) => expect(shortTime(new Date(at), NOW).replaceAll('\u00a0', '~')).toBe(text));

test.each([
  [20 * 60_000, '20~min'],
  [140 * 60_000, '2~h 20~min'],
  [3 * 3_600_000, '3~h'],
  [41 * 3_600_000, '41~h'],
  [4 * 86_400_000, '4~d'],
])('spanWords(%d) reads %j, each number held to its unit', (ms, text) => expect(spanWords(ms).replaceAll('\u00a0', '~')).toBe(text));

test('relative times say "ago" for the past and "in" for the future', () => {
  expect(relativeWords(new Date('2026-11-21T09:00:00Z'), NOW)).toBe('3\u00a0h ago');
  expect(relativeWords(new Date('2026-11-21T12:20:00Z'), NOW)).toBe('in 20\u00a0min');
  expect(relativeWords(NOW, NOW)).toBe('just now');
});

test('the stale sentence says there is no known problem, since when monitoring is silent, and that we cannot confirm it', () => {
  expect(staleSentence(new Date('2026-11-21T09:00:00Z'), NOW)).toBe(
    'No known problems. Our monitoring has not reported since 09:00\u00a0UTC (3\u00a0h ago), so we cannot confirm it live.',
  );
  expect(staleSentence(null, NOW)).toBe('No known problems. Our monitoring has not reported yet, so we cannot confirm it live.');
});
