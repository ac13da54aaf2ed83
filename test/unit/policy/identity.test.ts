import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import {
  evaluateTrustedIdentities,
  isSubsetDn,
  leafSubjectAttributes,
  matchesTrustedIdentity,
  parseDistinguishedName,
  parseX509SubjectIdentity,
} from '../../../shared/policy/index.js';
import type { SubjectAttribute } from '../../../shared/policy/index.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/policy');

/** Subject attributes of a PEM certificate, in certificate order (what the pki module hands over). */
function subjectOf(file: string): SubjectAttribute[] {
  const pem = readFileSync(join(FIXTURES, file), 'utf8');
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const cert = AsnConvert.parse(der, Certificate);
  return cert.tbsCertificate.subject.flatMap((rdn) => rdn.map((atv) => ({ oid: atv.type, value: atv.value.toString() })));
}

const attrs = (pairs: Record<string, string>) => new Map(Object.entries(pairs));
const subject = (...pairs: Array<[string, string]>): SubjectAttribute[] => pairs.map(([oid, value]) => ({ oid, value }));
const C = '2.5.4.6', ST = '2.5.4.8', L = '2.5.4.7', O = '2.5.4.10', OU = '2.5.4.11', CN = '2.5.4.3';
const EMAIL = '1.2.840.113549.1.9.1', DC = '0.9.2342.19200300.100.1.25';

describe('parseDistinguishedName', () => {
  interface Vectors {
    parseDistinguishedName: Array<{ input: string; ok: boolean }>;
    isSubset: Array<{ trusted: Record<string, string>; cert: Record<string, string>; match: boolean }>;
  }
  const v = JSON.parse(readFileSync(join(FIXTURES, 'vectors/trusted-identities.json'), 'utf8')) as Vectors;

  it.each(v.parseDistinguishedName.map((c) => [c.input, c.ok] as const))('corpus: %j parses as identity: %s', (input, ok) => {
    expect(parseX509SubjectIdentity(input).kind).toBe(ok ? 'ok' : 'invalid');
  });

  it.each(v.isSubset.map((c, i) => [i, c] as const))('corpus isSubset #%i', (_i, c) => {
    expect(isSubsetDn(attrs(c.trusted), attrs(c.cert))).toBe(c.match);
  });

  it.each<[string, Record<string, string>]>([
    ['C=US,ST=WA,O=acme', { C: 'US', ST: 'WA', O: 'acme' }],
    [' C=US ,  ST = WA,O=acme  ', { C: 'US', ST: 'WA', O: 'acme' }],
    ['C=US,S=WA,O=acme', { C: 'US', ST: 'WA', O: 'acme' }],
    ['C=US,ST=WA,O=acme\\, Inc.', { C: 'US', ST: 'WA', O: 'acme, Inc.' }],
    ['C=US,ST=WA,O=a\\;b', { C: 'US', ST: 'WA', O: 'a;b' }],
    ['C=US,ST=WA,O=back\\\\slash', { C: 'US', ST: 'WA', O: 'back\\slash' }],
    ['C=US,ST=WA,O=\\ padded\\ ', { C: 'US', ST: 'WA', O: ' padded ' }],
    ['C=US,ST=WA,O=a\\+b\\=c\\#d', { C: 'US', ST: 'WA', O: 'a+b=c#d' }],
    ['C=US,ST=WA,O=caf\\C3\\A9', { C: 'US', ST: 'WA', O: 'café' }],
    ['C=US,ST=WA,O=a=b', { C: 'US', ST: 'WA', O: 'a=b' }],
    ['C=US,ST=WA,O=Zürich AG', { C: 'US', ST: 'WA', O: 'Zürich AG' }],
    ['2.5.4.3=x,C=US,ST=WA,O=acme', { '2.5.4.3': 'x', C: 'US', ST: 'WA', O: 'acme' }],
  ])('parses %j', (input, expected) => {
    const parsed = parseDistinguishedName(input);
    expect(parsed.kind === 'ok' ? Object.fromEntries(parsed.attributes) : parsed).toEqual(expected);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['C=US,ST=WA,O=acme=#41', '=# anywhere'],
    ['C=US,ST=WA,O= #0403414243', 'hex value hidden behind a space (stricter)'],
    ['C=US+ST=WA,O=acme', 'multi-valued RDN'],
    ['C=US,ST=WA,O=acme,ST=OR', 'duplicate type'],
    ['C=US,ST=WA,O=acme,S=OR', 'S duplicates ST'],
    ['C=US;ST=WA;O=acme', 'bare ; (the spec says escape it; the reference splits on it)'],
    ['C=US,ST=WA,O="acme"', 'bare quote'],
    ['C=US,ST=WA,O=<acme>', 'bare angle brackets'],
    ['C=US,ST=WA,O=', 'empty value (stricter)'],
    ['C=US,ST=WA,O=acme,', 'trailing comma'],
    [',C=US,ST=WA,O=acme', 'leading comma'],
    ['C=US,,ST=WA,O=acme', 'empty RDN'],
    ['C=US,ST=WA,acme', 'RDN without ='],
    ['=US,ST=WA,O=acme', 'empty type'],
    ['C D=US,ST=WA,O=acme', 'type with a space'],
    ['C=US,ST=WA,O=acme\\', 'dangling escape'],
    ['C=US,ST=WA,O=a\\zz', 'bad escape'],
    ['C=US,ST=WA,O=a\\C3', 'hex escape that is not UTF-8'],
  ])('refuses %j (%s)', (input) => {
    expect(parseDistinguishedName(input).kind).toBe('invalid');
  });

  it.each([
    ['C=US,ST=WA', 'O'],
    ['ST=WA,O=acme', 'C'],
    ['C=US,O=acme', 'ST'],
    ['c=US,st=WA,o=acme', 'C'],
  ])('identity %j lacks a mandatory attribute (%s)', (input) => {
    expect(parseX509SubjectIdentity(input).kind).toBe('invalid');
  });
});

describe('leafSubjectAttributes (the reference view of the leaf subject)', () => {
  it('maps Go short names by OID', () => {
    const leaf = leafSubjectAttributes(subject([C, 'US'], [ST, 'WA'], [L, 'Seattle'], [O, 'acme'], [OU, 'tools'], [CN, 'signer'], ['2.5.4.5', '42'], ['2.5.4.9', 'Main St'], ['2.5.4.17', '98101']));
    expect(leaf.kind === 'ok' && Object.fromEntries(leaf.attributes)).toEqual({
      C: 'US', ST: 'WA', L: 'Seattle', O: 'acme', OU: 'tools', CN: 'signer', SERIALNUMBER: '42', STREET: 'Main St', POSTALCODE: '98101',
    });
  });

  it.each([
    ['emailAddress (no Go short name)', subject([C, 'US'], [ST, 'WA'], [O, 'acme'], [EMAIL, 'a@b.c'])],
    ['domainComponent (no Go short name)', subject([DC, 'com'], [C, 'US'], [ST, 'WA'], [O, 'acme'])],
    ['two OU', subject([C, 'US'], [ST, 'WA'], [O, 'acme'], [OU, 'a'], [OU, 'b'])],
    ['two O', subject([C, 'US'], [ST, 'WA'], [O, 'acme'], [O, 'acme2'])],
    ['two CN (Go keeps the last; trustgate refuses: stricter)', subject([C, 'US'], [ST, 'WA'], [O, 'acme'], [CN, 'a'], [CN, 'b'])],
    ['no ST', subject([C, 'US'], [O, 'acme'], [CN, 'x'])],
    ['only CN and O', subject([CN, 'foo'], [O, 'bar'])],
    ['empty C', subject([C, ''], [ST, 'WA'], [O, 'acme'])],
    ['a value containing =#', subject([C, 'US'], [ST, 'WA'], [O, 'acme'], [CN, 'Bad=#CN'])],
  ])('is unmatchable with %s', (_name, attributes) => {
    expect(leafSubjectAttributes(attributes).kind).toBe('invalid');
  });
});

describe('matchesTrustedIdentity', () => {
  interface Case { cert: 'good' | 'bad'; identities: string[]; ok: boolean }
  const v = JSON.parse(readFileSync(join(FIXTURES, 'vectors/trusted-identities.json'), 'utf8')) as { verifyTrustedIdentities: { cases: Case[] } };
  const certs = { good: subjectOf('certs/signing-cert.pem'), bad: subjectOf('certs/bad-cert.pem') };

  it.each(v.verifyTrustedIdentities.cases.map((c) => [c.cert, JSON.stringify(c.identities), c] as const))('corpus: %s cert with %s', (_cert, _ids, c) => {
    expect(matchesTrustedIdentity(c.identities, certs[c.cert])).toBe(c.ok);
  });

  const leaf = subject([C, 'US'], [ST, 'WA'], [L, 'Seattle'], [O, 'acme, Inc.'], [OU, 'Tools'], [CN, ' signer ']);
  it.each<[string[], boolean, string]>([
    [['*'], true, 'wildcard'],
    [['x509.subject: C=US, ST=WA, O=acme\\, Inc.'], true, 'escaped comma'],
    [['x509.subject: C=US, S=WA, O=acme\\, Inc.'], true, 'S alias'],
    [['x509.subject: C=US, ST=WA, O=acme\\, Inc., CN=\\ signer\\ '], true, 'escaped spaces'],
    [['x509.subject: C=US, ST=WA, O=acme\\, Inc., CN=signer'], false, 'spaces are significant'],
    [['x509.subject: C=us, ST=WA, O=acme\\, Inc.'], false, 'values are case-sensitive'],
    [['x509.subject: C=US, ST=WA, O=acme\\, Inc., OU=Other'], false, 'an extra attribute must match'],
    [['x509.subject: C=US, ST=WA, O=acme\\, Inc., STREET=x'], false, 'an attribute the leaf lacks'],
    [['x509.subject:C=US,ST=WA,O=other', 'x509.subject:C=US,ST=WA,O=acme\\, Inc.'], true, 'second identity matches'],
    [['x509.subject:C=US,ST=WA,O=acme\\, Inc.', 'x509.subject:C=US,ST=WA'], false, 'one invalid identity fails the evaluation'],
    [['other:C=US,ST=WA,O=acme\\, Inc.'], false, 'only other prefixes'],
    [['X509.subject:C=US,ST=WA,O=acme\\, Inc.'], false, 'prefix is case-sensitive'],
    [[' x509.subject:C=US,ST=WA,O=acme\\, Inc.'], false, 'prefix must not be padded'],
    [['no-separator'], false, 'no separator'],
    [[], false, 'no identities at all'],
  ])('%j → %s (%s)', (identities, expected) => {
    expect(matchesTrustedIdentity(identities, leaf)).toBe(expected);
  });

  it.each([
    [['x509.subject:C=US,ST=WA,O=x'], subject([C, 'US'], [ST, 'WA'], [O, 'x'], [EMAIL, 'a@b.c']), 'leaf-unmatchable'],
    [['*'], subject([C, 'US'], [ST, 'WA'], [O, 'x'], [EMAIL, 'a@b.c']), undefined],
    [['x509.subject:C=US,ST=WA,O=y'], subject([C, 'US'], [ST, 'WA'], [O, 'x']), 'no-match'],
    [['other:thing'], subject([C, 'US'], [ST, 'WA'], [O, 'x']), 'no-x509-identities'],
    [['x509.subject:C=US,ST=WA,O=y=#00'], subject([C, 'US'], [ST, 'WA'], [O, 'x']), 'identity-invalid'],
  ])('evaluateTrustedIdentities(%j) reason %s', (identities, leafSubject, reason) => {
    const result = evaluateTrustedIdentities(identities, leafSubject);
    expect(result.ok ? undefined : result.reason).toBe(reason);
  });
});
