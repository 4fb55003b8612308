import { SaxesParser } from 'saxes';

// Streams the UN Security Council Consolidated List (sc-sanctions.xsd) one entry at a time:
// only the entry being read is held in memory, whatever the size of the file.
// saxes never resolves external entities nor expands entities declared in a DTD; a DOCTYPE
// is refused outright anyway, since the UN list has none and it is how XML bombs start.

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
}

const ROOT = 'CONSOLIDATED_LIST';
const SECTIONS: Readonly<Record<string, EntryKind>> = { INDIVIDUALS: 'INDIVIDUAL', ENTITIES: 'ENTITY' };

export class UnListReader {
  /** The date the UN generated the list (YYYY-MM-DD), once the root element has been read. */
  generatedOn: string | null = null;

  async *entries(chunks: AsyncIterable<string>): AsyncGenerator<ListEntry> {
    const parser = new SaxesParser({ xmlns: false, position: true });
    const ready: ListEntry[] = [];
    /** Open elements from the root down; entry elements and below also build a tree. */
    const open: { name: string; element?: XmlElement }[] = [];
    let sawRoot = false;

    parser.on('doctype', () => {
      throw new UnListError('the file has a DOCTYPE: a UN list has none, and entity declarations (a way to build XML bombs) are refused');
    });
    parser.on('opentag', (tag) => {
      const depth = open.length;
      const parent = open[depth - 1];
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
      const element =
        depth >= 2 ? { name: tag.name, attributes: { ...tag.attributes } as Record<string, string>, text: '', children: [] } : undefined;
      if (depth > 2) parent!.element!.children.push(element!);
      open.push({ name: tag.name, element });
    });
    const onText = (text: string) => {
      const current = open.at(-1)?.element;
      if (current) current.text += text;
      else if (text.trim()) throw new UnListError(`unexpected text ${JSON.stringify(text.trim().slice(0, 40))} at ${where(parser)}`);
    };
    parser.on('text', onText);
    parser.on('cdata', onText);
    parser.on('closetag', () => {
      const closed = open.pop()!;
      if (closed.element) closed.element.text = closed.element.text.replace(/\s+/g, ' ').trim();
      if (open.length === 2) ready.push({ kind: SECTIONS[open[1]!.name]!, element: closed.element! });
    });

    try {
      for await (const chunk of chunks) {
        parser.write(chunk);
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
