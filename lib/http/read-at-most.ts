// Reading an answer from another service without trusting its size.

export class AnswerTooLargeError extends Error {}

/**
 * The body as text, read chunk by chunk and given up (the connection closed, nothing more
 * downloaded) as soon as it passes `maxBytes`: a node's 100 MB answer costs the reader
 * `maxBytes`, not 100 MB.
 */
export async function readAtMost(response: Response, maxBytes: number): Promise<string> {
  const body = response.body;
  if (!body) return '';
  return readChunksAtMost(body, Number(response.headers.get('content-length') ?? 0), maxBytes, () => body.cancel());
}

/** The same for a Node stream (undici's request API), destroyed when given up. */
export function readStreamAtMost(
  body: NodeJS.ReadableStream & { destroy(): void },
  contentLength: number,
  maxBytes: number,
): Promise<string> {
  return readChunksAtMost(body, contentLength, maxBytes, async () => body.destroy());
}

/**
 * Refused before reading when it says (`contentLength`) it is too large, `giveUp` closing it
 * unread; past `maxBytes` while reading, leaving the loop closes it (a web stream's iterator
 * cancels it, a Node stream's destroys it).
 */
async function readChunksAtMost(
  chunks: AsyncIterable<Uint8Array | string>,
  contentLength: number,
  maxBytes: number,
  giveUp: () => Promise<void>,
): Promise<string> {
  if (contentLength > maxBytes) {
    await giveUp();
    throw new AnswerTooLargeError();
  }
  const read: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    size += bytes.byteLength;
    if (size > maxBytes) throw new AnswerTooLargeError();
    read.push(bytes);
  }
  return Buffer.concat(read).toString('utf8');
}
