import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config/index.js';
import { decide as decideFor, TLP_LABELS, type DisclosureLabels, type PolicyCaller } from '../../../subgraphs/agency/policy/policy.js';

// Properties of the policy module over random callers and records, checked against the
// rules as the docs state them (docs/disclosure.md), written out again here.

const { directory } = loadConfig();
const CODES = directory.agencies.map((agency) => agency.code);
const CIRCLES = directory.circles.map((circle) => circle.code);
const membersOf = (circle: string) => directory.circles.find((c) => c.code === circle)!.members;
const directoryCircles = (agency: string) => CIRCLES.filter((circle) => membersOf(circle).includes(agency));

/** The module under test, for a record of `owner`, with the owner's circles as the directory lists them. */
const decide = (who: PolicyCaller, owner: string, record: DisclosureLabels) =>
  decideFor(who, { code: owner, circles: directoryCircles(owner) }, record);

const agency = fc.constantFrom(...CODES);
const caller: fc.Arbitrary<PolicyCaller> = agency.chain((code) =>
  fc.subarray(directoryCircles(code)).map((circles) => ({ agency: code, circles })),
);
const labels: fc.Arbitrary<DisclosureLabels> = fc.record({
  tlp: fc.constantFrom(...TLP_LABELS),
  releasableTo: fc.uniqueArray(fc.constantFrom(...CODES, ...CIRCLES), { maxLength: 5 }),
  discoverable: fc.boolean(),
});

/** The table of docs/disclosure.md, independently of the module. */
function expected(who: PolicyCaller, owner: string, record: DisclosureLabels) {
  const named = record.releasableTo.includes(who.agency);
  const namedByCircle = who.circles.some((circle) => record.releasableTo.includes(circle));
  const community = who.circles.some((circle) => membersOf(circle).includes(owner));
  const full =
    who.agency === owner ||
    record.tlp === 'CLEAR' ||
    (record.tlp === 'GREEN' && (community || named || namedByCircle)) ||
    (record.tlp === 'AMBER' && (named || namedByCircle)) ||
    (record.tlp === 'AMBER_STRICT' && named);
  return full ? 'FULL' : record.discoverable ? 'HIT_ONLY' : 'NONE';
}

describe('disclosure policy', () => {
  it('decides as the documented table says', () => {
    fc.assert(
      fc.property(caller, agency, labels, (who, owner, record) => decide(who, owner, record) === expected(who, owner, record)),
      {
        numRuns: 5000,
      },
    );
  });

  it('gives the owner everything and nobody else a RED record', () => {
    fc.assert(
      fc.property(caller, labels, (who, record) => {
        expect(decide(who, who.agency, record)).toBe('FULL');
      }),
    );
    fc.assert(
      fc.property(caller, agency, labels, (who, owner, record) => {
        fc.pre(who.agency !== owner);
        expect(decide(who, owner, { ...record, tlp: 'RED' })).not.toBe('FULL');
      }),
    );
  });

  it('never reveals a record that is neither released to the caller nor discoverable', () => {
    fc.assert(
      fc.property(caller, agency, labels, (who, owner, record) => {
        const level = decide(who, owner, { ...record, discoverable: false });
        expect(level === 'FULL' || level === 'NONE').toBe(true);
      }),
    );
  });

  it('never lowers a level when the owner releases more or makes a record discoverable', () => {
    const rank = { NONE: 0, HIT_ONLY: 1, FULL: 2 } as const;
    fc.assert(
      fc.property(caller, agency, labels, fc.constantFrom(...CODES, ...CIRCLES), (who, owner, record, audience) => {
        const before = rank[decide(who, owner, record)];
        expect(rank[decide(who, owner, { ...record, releasableTo: [...record.releasableTo, audience] })]).toBeGreaterThanOrEqual(before);
        expect(rank[decide(who, owner, { ...record, discoverable: true })]).toBeGreaterThanOrEqual(before);
      }),
    );
  });

  it('does not let a circle open an AMBER_STRICT record', () => {
    fc.assert(
      fc.property(caller, agency, labels, (who, owner, record) => {
        fc.pre(who.agency !== owner);
        const onlyCircles = {
          ...record,
          tlp: 'AMBER_STRICT' as const,
          releasableTo: record.releasableTo.filter((a) => CIRCLES.includes(a)),
        };
        expect(decide(who, owner, onlyCircles)).not.toBe('FULL');
      }),
    );
  });
});
