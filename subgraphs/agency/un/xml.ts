import { SaxesParser } from 'saxes';
import { UN_IMPORT_LIMITS, type UnImportLimits } from './limits.js';

// Streams the UN Security Council Consolidated List (sc-sanctions.xsd) one entry at a time:
// only the entry being read is held in memory, whatever the size of the file.
// saxes never resolves external entities nor expands entities declared in a DTD; a DOCTYPE
// is refused outright anyway, since the UN list has none and it is how XML bombs start.
// saxes bounds nothing itself (a text node, an attribute or a comment is buffered whole, and
// nesting is unlimited), so the reader enforces the structural caps of limits.ts while it
// streams: a file over one is refused as soon as it is, not after buffering it. The caps on
// what an entry holds are checked once the entry is read (bounds.ts).

/** The file is not a complete, well-formed UN list. The message is meant for the user. */
export class UnListError extends Error {}

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  /** Text content with runs of whitespace collapsed to one space (the UN wraps long values). */
  text: string;
  children: XmlElement[];
}

export type EntryKind = 'INDIVIDUAL' | 'ENTITY';

export interface ListEntry {
  kind: EntryKind;
  element: XmlElement;
  /** The line of the file the entry starts on, to name an entry that has no reference number. */
  line: number;
}

const ROOT = 'CONSOLIDATED_LIST';
const SECTIONS: Readonly<Record<string, EntryKind>> = { INDIVIDUALS: 'INDIVIDUAL', ENTITIES: 'ENTITY' };

/** Characters handed to the parser at once, so what it holds is checked often (not a cap). */
const WRITE_PIECE = 16 * 1024;

/** How an entry is named in messages: by reference number when it has one, always by position. */
export function entryLabel(kind: EntryKind, ordinal: number, line: number, reference: string | null): string {
  return `entry ${ordinal} (${kind}${reference ? ` ${reference}` : ''} at line ${line})`;
}

interface OpenEntry {
  kind: EntryKind;
  ordinal: number;
  line: number;
  startAt: number;
  elements: number;
  element: XmlElement;
}

export class UnListReader {
  /** The date the UN generated the list (YYYY-MM-DD), once the root element has been read. */
  generatedOn: string | null = null;

  constructor(private readonly limits: Readonly<UnImportLimits> = UN_IMPORT_LIMITS) {}

  async *entries(chunks: AsyncIterable<string>): AsyncGenerator<ListEntry> {
    const { limits } = this;
    const parser = new SaxesParser({ xmlns: false, position: true });
    const ready: ListEntry[] = [];
    /** Open elements from the root down; entry elements and below also build a tree. */
    const open: { name: string; element?: XmlElement }[] = [];
    let sawRoot = false;
    let entries = 0;
    let entry: OpenEntry | null = null;
    /** Where the parser last reported something: what it has read since, it holds. */
    let reportedAt = 0;

    const label = (current: OpenEntry) => {
      const reference = current.element.children.find((child) => child.name === 'REFERENCE_NUMBER')?.text ?? '';
      return entryLabel(current.kind, current.ordinal, current.line, reference.length <= limits.field.identifier ? reference : null);
    };
    /** Refuses what the parser holds, or the entry spans, at `position` once either is over its cap. */
    const checkHeld = (position: number) => {
      const held = position - reportedAt;
      if (held > limits.pieceCharacters) {
        const inside = open.length > 0 ? `<${open.at(-1)!.name}>` : 'the file before its root element';
        const what = `${inside} holds more than ${limits.pieceCharacters} characters in one text, tag or comment, the cap`;
        throw new UnListError(`${entry ? `${label(entry)}: ` : ''}${what} (reading stopped at ${where(parser)})`);
      }
      if (entry && position - entry.startAt > limits.entryCharacters) {
        throw new UnListError(`${label(entry)} is longer than ${limits.entryCharacters} characters, the cap for one entry`);
      }
    };
    // parser.position is right while the parser reports (during a write), not after one.
    const reported = () => {
      checkHeld(parser.position);
      reportedAt = parser.position;
    };

    parser.on('doctype', () => {
      throw new UnListError('the file has a DOCTYPE: a UN list has none, and entity declarations (a way to build XML bombs) are refused');
    });
    parser.on('opentag', (tag) => {
      const depth = open.length;
      const parent = open[depth - 1];
      // The start of an entry is where the parser last reported (the text before its start tag).
      const tagStartAt = reportedAt;
      reported();
      if (depth === 0) {
        if (tag.name !== ROOT) {
          throw new UnListError(`not a UN Security Council Consolidated List: the root element is <${tag.name}>, not <${ROOT}>`);
        }
        sawRoot = true;
        this.generatedOn = /^\d{4}-\d{2}-\d{2}/.exec(String(tag.attributes.dateGenerated ?? ''))?.[0] ?? null;
      } else if (depth === 1 && !(tag.name in SECTIONS)) {
        throw new UnListError(`unexpected <${tag.name}> in <${ROOT}> at ${where(parser)}: expected <INDIVIDUALS> or <ENTITIES>`);
      } else if (depth === 2 && tag.name !== SECTIONS[parent!.name]) {
        throw new UnListError(`unexpected <${tag.name}> in <${parent!.name}> at ${where(parser)}: expected <${SECTIONS[parent!.name]}>`);
      }
      if (depth >= limits.depth) {
        const what = `<${tag.name}> at ${where(parser)} is nested ${depth + 1} elements deep`;
        throw new UnListError(`${entry ? `${label(entry)}: ` : ''}${what}; the cap is ${limits.depth}`);
      }
      const element =
        depth >= 2 ? { name: tag.name, attributes: { ...tag.attributes } as Record<string, string>, text: '', children: [] } : undefined;
      if (depth === 2) {
        const kind = SECTIONS[parent!.name]!;
        entries += 1;
        entry = { kind, ordinal: entries, line: parser.line, startAt: tagStartAt, elements: 0, element: element! };
        if (entries > limits.entries) {
          throw new UnListError(`${label(entry)}: the list holds more than ${limits.entries} entries, the cap`);
        }
      } else if (depth > 2) {
        parent!.element!.children.push(element!);
        if (++entry!.elements > limits.elementsPerEntry) {
          throw new UnListError(`${label(entry!)} holds more than ${limits.elementsPerEntry} elements, the cap for one entry`);
        }
      }
      open.push({ name: tag.name, element });
    });
    const onText = (text: string) => {
      reported();
      const current = open.at(-1)?.element;
      if (current) current.text += text;
      else if (text.trim()) throw new UnListError(`unexpected text ${JSON.stringify(text.trim().slice(0, 40))} at ${where(parser)}`);
    };
    parser.on('text', onText);
    parser.on('cdata', onText);
    parser.on('comment', reported);
    parser.on('processinginstruction', reported);
    parser.on('closetag', () => {
      reported();
      const closed = open.pop()!;
      if (closed.element) closed.element.text = closed.element.text.replace(/\s+/g, ' ').trim();
      if (open.length === 2) {
        ready.push({ kind: entry!.kind, element: closed.element!, line: entry!.line });
        entry = null;
      }
    });

    try {
      let written = 0;
      for await (const chunk of chunks) {
        // Characters never outnumber the UTF-8 bytes they were read from: this cap holds.
        if (written + chunk.length > limits.fileBytes) throw new UnListError(`the file is larger than ${limits.fileBytes} bytes, the cap`);
        for (let at = 0; at < chunk.length; at += WRITE_PIECE) {
          const piece = chunk.slice(at, at + WRITE_PIECE);
          parser.write(piece);
          written += piece.length;
          checkHeld(written);
        }
        yield* ready.splice(0);
      }
      if (!sawRoot) throw new UnListError('the file holds no XML element: not a UN Security Council Consolidated List');
      if (open.length > 0) {
        throw new UnListError(`the file ends inside <${open.at(-1)!.name}> at ${where(parser)}: it is truncated`);
      }
      parser.close();
    } catch (error) {
      if (error instanceof UnListError) throw error;
      if ((error as NodeJS.ErrnoException).code) throw error;
      // saxes reports well-formedness errors as "line:column: message".
      const message = (error as Error).message.replace(/^(\d+):(\d+): /, 'line $1, column $2: ');
      throw new UnListError(`not a UN Security Council Consolidated List: the file is not well-formed XML (${message})`);
    }
  }
}

function where(parser: SaxesParser): string {
  return `line ${parser.line}`;
}
