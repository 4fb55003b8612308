import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevIssuer, type DevIssuer } from '../../../lib/auth/dev-issuer.js';
import { TokenVerifier } from '../../../lib/auth/verify.js';
import { loadConfig } from '../../../lib/config/index.js';
import type { Service } from '../../../lib/service.js';
import { startAgencyNode } from '../../../subgraphs/agency/server.js';
import { postGraphQL, tokenFor } from '../../helpers/federation.js';
import { makeTempDir, runImportCli, SHIPPED_LIST } from './lists.js';
import { LOOPBACK_HTTP } from '../../helpers/http.js';

// An import into the store of a running node (seeded with its demo data), then questions
// to that node's GraphQL API from a partner: imported records answer like any other.

const config = loadConfig();
let dir: string;
let issuer: DevIssuer;
let node: Service;
let database: string;

beforeAll(async () => {
  dir = await makeTempDir();
  issuer = await ensureDevIssuer(dir);
  database = path.join(dir, 'interpol.sqlite');
  node = await startAgencyNode({
    agency: 'INTERPOL',
    port: 0,
    database,
    seedDemoData: true,
    verifier: new TokenVerifier(config.federation.trust, dir, config.directory),
    directory: config.directory,
    http: LOOPBACK_HTTP,
    logger: pino({ level: 'silent' }),
  });
});

afterAll(async () => {
  await node?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function ask<T>(query: string): Promise<T> {
  const token = await tokenFor(issuer, config, { agency: 'TH-RTP', roles: ['officer'] });
  const { data, errors } = await postGraphQL<T>(
    node.url,
    query,
    {},
    { authorization: `Bearer ${token}`, 'x-purpose': 'SANCTIONS_SCREENING' },
  );
  expect(errors).toBeUndefined();
  return data!;
}

interface Answer {
  subject: {
    disclosure: string;
    tlp: string;
    kind: string;
    names: { full: string; script: string; kind: string; quality: string | null }[];
    datesOfBirth: { qualifier: string; date: string | null; from: string | null; to: string | null }[];
    nationalities: string[];
    notices: { id: string; colour: string; status: string; reference: string; unListing: Record<string, unknown> }[];
    unEntry: { firstName: string; titles: string[]; designations: string[]; placesOfBirth: Record<string, unknown>[]; raw: string | null };
  };
  byAlias: { id: string }[];
  documents: { identityDocuments: { type: string; number: string; issuingCountry: string | null }[]; unEntry: { raw: string } };
  demo: { unListing: null }[];
}

describe('an imported UN list, asked through a running node', () => {
  it('answers a partner with the aliases, the original-script name and the dates of birth', async () => {
    const run = await runImportCli([SHIPPED_LIST], { DATABASE_PATH: database, DATABASE_URL: '' });
    expect(run.code, run.stderr).toBe(0);

    const answer = await ask<Answer>(`{
      subject(id: "INTERPOL:UNS-TAi.005") {
        disclosure tlp kind
        names { full script kind quality }
        datesOfBirth { qualifier date from to }
        nationalities
        notices { id colour status reference unListing { referenceNumber dataId listType listedOn lastUpdated delistedOn } }
        unEntry { firstName titles designations placesOfBirth { city stateProvince country countryCode } raw }
      }
      byAlias: subjects(first: 5, filter: { name: "haji mudir" }) { id }
      documents: subject(id: "INTERPOL:UNS-QDi.237") { identityDocuments { type number issuingCountry } unEntry { raw } }
      demo: notices(first: 3, filter: { colours: [RED] }) { unListing { referenceNumber } }
    }`);

    const { subject } = answer;
    expect(subject).toMatchObject({ disclosure: 'FULL', tlp: 'CLEAR', kind: 'PERSON', nationalities: ['AF'] });
    expect(subject.names).toContainEqual({ full: 'محمد طاهر أنوري', script: 'Arab', kind: 'ORIGINAL_SCRIPT', quality: null });
    expect(subject.names).toContainEqual({ full: 'Mohammad Taher Anwari', script: 'Latn', kind: 'ALIAS', quality: 'GOOD' });
    expect(subject.names).toContainEqual({ full: 'Haji Mudir', script: 'Latn', kind: 'ALIAS', quality: 'LOW' });
    expect(subject.datesOfBirth).toEqual([{ qualifier: 'APPROXIMATELY', date: '1961', from: null, to: null }]);
    expect(subject.notices).toEqual([
      {
        id: 'INTERPOL:UN-TAi.005',
        colour: 'UN_SPECIAL',
        status: 'ACTIVE',
        reference: 'TAi.005',
        unListing: {
          referenceNumber: 'TAi.005',
          dataId: '110447',
          listType: 'Taliban',
          listedOn: '2001-02-23',
          lastUpdated: ['2003-09-03', '2007-07-09', '2007-09-21', '2011-11-29'],
          delistedOn: null,
        },
      },
    ]);
    expect(subject.unEntry).toEqual({
      firstName: 'MUHAMMAD',
      titles: ['Mullah'],
      designations: ['a) Director of Administrative Affairs under the Taliban regime', 'Minister of Finance under the Taliban regime'],
      placesOfBirth: [{ city: 'Zurmat District', stateProvince: 'Paktia Province', country: 'Afghanistan', countryCode: 'AF' }],
      raw: null,
    });
    expect(answer.byAlias).toEqual([{ id: 'INTERPOL:UNS-TAi.005' }]);
    expect(answer.documents.identityDocuments).toContainEqual({ type: 'PASSPORT', number: '2541451', issuingCountry: 'KW' });
    expect(JSON.parse(answer.documents.unEntry.raw).INDIVIDUAL_DOCUMENT).toHaveLength(1);
    expect(answer.demo.length).toBeGreaterThan(0);
    expect(answer.demo.every((notice) => notice.unListing === null)).toBe(true);
  });

  it("gives the listing's narrative as text for people: the UN's English, the original, whatever language is asked for", async () => {
    const answer = await ask<{ notice: { unListing: { comments: string; narrative: Record<string, unknown> } } }>(`{
      notice(id: "INTERPOL:UN-TAi.005") {
        unListing { comments narrative(lang: "fr") { text language original originalLanguage translations { language } } }
      }
    }`);
    const { comments, narrative } = answer.notice.unListing;
    expect(comments.length).toBeGreaterThan(20);
    expect(narrative).toEqual({ text: comments, language: 'en', original: true, originalLanguage: 'en', translations: [] });
  });

  it('screens the imported subjects at once, without restarting the node', async () => {
    const { screen } = await ask<{ screen: { record: { id: string }; matchedName: string }[] }>(
      '{ screen(person: { name: "Haji Mudir" }, first: 3) { record { ... on Subject { id } } matchedName } }',
    );
    expect(screen[0]).toEqual({ record: { id: 'INTERPOL:UNS-TAi.005' }, matchedName: 'Haji Mudir' });
  });
});
