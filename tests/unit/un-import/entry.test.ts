import { createReadStream } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mapEntry, type UnEntry } from '../../../subgraphs/agency/un/entry.js';
import { UnListError, UnListReader, type XmlElement } from '../../../subgraphs/agency/un/xml.js';
import { SHIPPED_LIST } from './lists.js';

// How entries of the real list map onto the records model, the UN fields, and `raw`.

const entries = new Map<string, UnEntry>();

beforeAll(async () => {
  let ordinal = 0;
  for await (const { kind, element } of new UnListReader().entries(createReadStream(SHIPPED_LIST, { encoding: 'utf8' }))) {
    const entry = mapEntry(kind, element, ++ordinal);
    entries.set(entry.referenceNumber, entry);
  }
});

const entry = (reference: string) => entries.get(reference)!;
const leaf = (name: string, text: string): XmlElement => ({ name, attributes: {}, text, children: [] });
const node = (name: string, children: XmlElement[]): XmlElement => ({ name, attributes: {}, text: '', children });
const minimal = (...extra: XmlElement[]) =>
  node('INDIVIDUAL', [
    leaf('DATAID', '1'),
    leaf('FIRST_NAME', 'A'),
    leaf('UN_LIST_TYPE', 'Iraq'),
    leaf('REFERENCE_NUMBER', 'IQi.999'),
    leaf('LISTED_ON', '2003-04-25'),
    ...extra,
  ]);

describe('mapping an entry of the UN list', () => {
  it('maps every entry: persons and organisations, each once', () => {
    expect(entries.size).toBe(875);
    expect([...entries.values()].filter((e) => e.kind === 'PERSON')).toHaveLength(682);
    expect([...entries.values()].filter((e) => e.kind === 'ORGANISATION')).toHaveLength(193);
  });

  it('keeps the name parts, the name in Arabic script and every alias with its quality', () => {
    const anwari = entry('TAi.005');
    expect([anwari.firstName, anwari.secondName, anwari.thirdName, anwari.fourthName]).toEqual(['MUHAMMAD', 'TAHER', 'ANWARI', null]);
    expect(anwari.names).toEqual([
      { full: 'MUHAMMAD TAHER ANWARI', script: 'Latn', kind: 'PRIMARY', quality: null },
      { full: 'محمد طاهر أنوري', script: 'Arab', kind: 'ORIGINAL_SCRIPT', quality: null },
      { full: 'Mohammad Taher Anwari', script: 'Latn', kind: 'ALIAS', quality: 'GOOD' },
      { full: 'Muhammad Tahir Anwari', script: 'Latn', kind: 'ALIAS', quality: 'GOOD' },
      { full: 'Mohammad Tahre Anwari', script: 'Latn', kind: 'ALIAS', quality: 'GOOD' },
      { full: 'Haji Mudir', script: 'Latn', kind: 'ALIAS', quality: 'LOW' },
    ]);
  });

  it('keeps the listing: reference, regime, dates, comments, titles and designations', () => {
    const anwari = entry('TAi.005');
    expect(anwari).toMatchObject({
      referenceNumber: 'TAi.005',
      dataId: '110447',
      versionNumber: 1,
      listType: 'Taliban',
      listedOn: '2001-02-23',
      lastUpdated: ['2003-09-03', '2007-07-09', '2007-09-21', '2011-11-29'],
      titles: ['Mullah'],
      designations: ['a) Director of Administrative Affairs under the Taliban regime', 'Minister of Finance under the Taliban regime'],
      nationalities: ['AF'],
    });
    expect(anwari.comments).toMatch(/^Belongs to Andar tribe\. Review pursuant to Security Council resolution 1822 \(2008\)/);
    expect(anwari.placesOfBirth).toEqual([
      {
        street: null,
        city: 'Zurmat District',
        stateProvince: 'Paktia Province',
        zipCode: null,
        country: 'Afghanistan',
        countryCode: 'AF',
        note: null,
      },
    ]);
    expect(anwari.raw).toBeNull();
  });

  it('maps dates of birth of every kind, several per person, year only or full', () => {
    expect(entry('TAi.005').birthDates).toEqual([{ qualifier: 'APPROXIMATELY', date: '1961', from: null, to: null }]);
    expect(entry('TAi.023').birthDates).toEqual([{ qualifier: 'BETWEEN', date: null, from: '1963', to: '1968' }]);
    expect(entry('QDi.237').birthDates).toEqual([{ qualifier: 'EXACT', date: '1959-09-24', from: null, to: null }]);
    expect(entry('CDi.026').birthDates).toEqual([
      { qualifier: 'EXACT', date: '1966-01-01', from: null, to: null },
      { qualifier: 'EXACT', date: '1966-08-28', from: null, to: null },
      { qualifier: 'APPROXIMATELY', date: '1967', from: null, to: null },
    ]);
    expect(entry('CFi.002').birthDates.map((d) => d.date)).toEqual(['1970', '1969', '1971', '1970-01-01', '1971-01-01']);
  });

  it('maps identity documents, and keeps what they say beyond type, number and country in raw', () => {
    const jalahmah = entry('QDi.237');
    expect(jalahmah.documents).toContainEqual({ type: 'PASSPORT', number: '2541451', issuingCountry: 'KW' });
    expect(jalahmah.documents).toContainEqual({ type: 'NATIONAL_ID', number: '259092401188', issuingCountry: 'KW' });
    expect(jalahmah.raw).toEqual({
      INDIVIDUAL_DOCUMENT: [
        { TYPE_OF_DOCUMENT: 'Passport', NUMBER: '2541451', ISSUING_COUNTRY: 'Kuwait', NOTE: 'valid until 16 Feb. 2017' },
      ],
    });
    expect(jalahmah.addresses[0]).toMatchObject({
      country: 'Kuwait',
      countryCode: 'KW',
      note: 'residence as at March 2009 and at December 2013',
    });
  });

  it('maps an organisation: its aliases and addresses; "formerly known as" stays in raw', () => {
    const aqim = entry('QDe.014');
    expect(aqim.kind).toBe('ORGANISATION');
    expect(aqim.names[0]).toEqual({
      full: 'THE ORGANIZATION OF AL-QAIDA IN THE ISLAMIC MAGHREB',
      script: 'Latn',
      kind: 'PRIMARY',
      quality: null,
    });
    expect(aqim.names).toContainEqual({ full: 'AQIM', script: 'Latn', kind: 'ALIAS', quality: null });
    expect(aqim.addresses.map((a) => a.countryCode)).toEqual(expect.arrayContaining(['DZ', 'ML', 'MR', 'MA', 'NE', 'TN']));
    expect(aqim.raw!.ENTITY_ALIAS).toContainEqual({ QUALITY: 'f.k.a.', ALIAS_NAME: 'Salafist Group For Call and Combat' });
  });

  it('keeps a listing date with a time zone in raw, and the date on the notice', () => {
    const basir = entry('TAi.173');
    expect(basir.listedOn).toBe('2015-03-27');
    expect(basir.raw!.LISTED_ON).toEqual(['2015-03-27-04:00']);
  });

  it('keeps what the model cannot hold in raw: nothing is dropped', () => {
    const mapped = mapEntry(
      'INDIVIDUAL',
      minimal(
        leaf('SORT_KEY', 'X'),
        node('NATIONALITY', [leaf('VALUE', 'Iraq'), leaf('VALUE', 'former Soviet Union')]),
        node('INDIVIDUAL_DATE_OF_BIRTH', [leaf('TYPE_OF_DATE', 'EXACT'), leaf('NOTE', 'Nov. 1973')]),
        node('INDIVIDUAL_ALIAS', [leaf('QUALITY', 'Good'), leaf('ALIAS_NAME', 'Abu X'), leaf('DATE_OF_BIRTH', '1960')]),
        leaf('GENDER', ''),
        { name: 'TITLE', attributes: { lang: 'en' }, text: '', children: [leaf('VALUE', 'Dr')] },
      ),
      1,
    );
    expect(mapped.nationalities).toEqual(['IQ']);
    expect(mapped.names).toContainEqual({ full: 'Abu X', script: 'Latn', kind: 'ALIAS', quality: 'GOOD' });
    expect(mapped.titles).toEqual(['Dr']);
    expect(mapped.raw).toEqual({
      SORT_KEY: ['X'],
      NATIONALITY: [{ VALUE: ['Iraq', 'former Soviet Union'] }],
      INDIVIDUAL_DATE_OF_BIRTH: [{ TYPE_OF_DATE: 'EXACT', NOTE: 'Nov. 1973' }],
      INDIVIDUAL_ALIAS: [{ QUALITY: 'Good', ALIAS_NAME: 'Abu X', DATE_OF_BIRTH: '1960' }],
      TITLE: [{ '@lang': 'en', VALUE: 'Dr' }],
    });
  });

  it('refuses an entry without a reference number, naming its position', () => {
    const entry = node('ENTITY', [leaf('DATAID', '1'), leaf('FIRST_NAME', 'X')]);
    expect(() => mapEntry('ENTITY', entry, 12)).toThrow(UnListError);
    expect(() => mapEntry('ENTITY', entry, 12)).toThrow('entry 12 (ENTITY without REFERENCE_NUMBER) has no REFERENCE_NUMBER');
  });
});
