import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UnListError, UnListReader, type ListEntry } from '../../../subgraphs/agency/un/xml.js';
import { entityBomb, externalEntity, SHIPPED_LIST, shippedXml } from './lists.js';

// The streaming reader: every entry of the real list, and a clear refusal of anything that
// is not a complete UN list.

async function readAll(chunks: AsyncIterable<string>): Promise<{ reader: UnListReader; entries: ListEntry[] }> {
  const reader = new UnListReader();
  const entries: ListEntry[] = [];
  for await (const entry of reader.entries(chunks)) entries.push(entry);
  return { reader, entries };
}

/** A text as a stream of small chunks, so elements are split across writes. */
async function* inChunks(text: string, size = 1000): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function refusal(text: string): Promise<string> {
  const error = await readAll(inChunks(text)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UnListError);
  return (error as Error).message;
}

describe('reading the UN Consolidated List', () => {
  it('streams the 682 individuals and 193 entities of the shipped list, with its date', async () => {
    const { reader, entries } = await readAll(createReadStream(SHIPPED_LIST, { encoding: 'utf8', highWaterMark: 4096 }));
    expect(entries.filter((e) => e.kind === 'INDIVIDUAL')).toHaveLength(682);
    expect(entries.filter((e) => e.kind === 'ENTITY')).toHaveLength(193);
    expect(reader.generatedOn).toBe('2024-09-26');
    const first = entries[0]!.element;
    expect(first.name).toBe('INDIVIDUAL');
    expect(first.children.find((c) => c.name === 'REFERENCE_NUMBER')!.text).toBe('TAi.005');
  });

  it('collapses the line breaks the UN wraps long values with', async () => {
    const { entries } = await readAll(inChunks(shippedXml(), 777));
    const designation = entries[0]!.element.children.find((c) => c.name === 'DESIGNATION')!;
    expect(designation.children[0]!.text).toBe('a) Director of Administrative Affairs under the Taliban regime');
  });

  it('refuses a DOCTYPE, so entity expansion (billion laughs) never starts', async () => {
    expect(await refusal(entityBomb(shippedXml()))).toMatch(/DOCTYPE.*refused/);
  });

  it('refuses external entities', async () => {
    expect(await refusal(externalEntity(shippedXml()))).toMatch(/DOCTYPE/);
  });

  it('expands no entity the XML standard does not define', async () => {
    const message = await refusal(
      '<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&lol;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>',
    );
    expect(message).toMatch(/not well-formed XML \(line 1, column \d+: undefined entity/);
  });

  it('says where a truncated file ends', async () => {
    const xml = shippedXml();
    expect(await refusal(xml.slice(0, Math.floor(xml.length / 2)))).toMatch(
      /^the file ends inside <[A-Z_]+> at line \d+: it is truncated$/,
    );
  });

  it.each([
    ['another XML document', '<html><body/></html>', /root element is <html>, not <CONSOLIDATED_LIST>/],
    ['JSON', '{"INDIVIDUALS": []}', /not well-formed XML/],
    ['an empty file', '', /holds no XML element/],
    ['an unknown section', '<CONSOLIDATED_LIST><VESSELS/></CONSOLIDATED_LIST>', /unexpected <VESSELS> in <CONSOLIDATED_LIST>/],
    ['an entry in the wrong section', '<CONSOLIDATED_LIST><ENTITIES><INDIVIDUAL/></ENTITIES></CONSOLIDATED_LIST>', /expected <ENTITY>/],
  ])('refuses %s as not a UN list', async (_what, text, message) => {
    expect(await refusal(text)).toMatch(message);
  });
});
